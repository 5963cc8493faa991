using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync;

/// <summary>
/// The EASProvisionDoc every device gets (MS-ASPROV 2.2.2.27, children in the spec's order). The default is
/// permissive (client-requirements EAS-PROV-05): no device password, attachments and HTML allowed, no age or size
/// limits. <c>ActiveSync:Policy:NAME</c> settings override single values, e.g. <c>DevicePasswordEnabled = 1</c>
/// and <c>MinDevicePasswordLength = 6</c>; an unknown name stops the server at startup.
/// </summary>
public sealed class ProvisioningPolicy
{
    public const string PolicyType = "MS-EAS-Provisioning-WBXML";

    private static readonly (string Name, string Value)[] Defaults =
    [
        ("DevicePasswordEnabled", "0"), ("AlphanumericDevicePasswordRequired", "0"), ("PasswordRecoveryEnabled", "0"),
        ("RequireStorageCardEncryption", "0"), ("AttachmentsEnabled", "1"), ("MinDevicePasswordLength", ""),
        ("MaxInactivityTimeDeviceLock", "9999"), ("MaxDevicePasswordFailedAttempts", ""), ("MaxAttachmentSize", ""),
        ("AllowSimpleDevicePassword", "1"), ("DevicePasswordExpiration", ""), ("DevicePasswordHistory", "0"),
        ("AllowStorageCard", "1"), ("AllowCamera", "1"), ("RequireDeviceEncryption", "0"), ("AllowUnsignedApplications", "1"),
        ("AllowUnsignedInstallationPackages", "1"), ("MinDevicePasswordComplexCharacters", "1"), ("AllowWiFi", "1"),
        ("AllowTextMessaging", "1"), ("AllowPOPIMAPEmail", "1"), ("AllowBluetooth", "2"), ("AllowIrDA", "1"),
        ("RequireManualSyncWhenRoaming", "0"), ("AllowDesktopSync", "1"), ("MaxCalendarAgeFilter", "0"), ("AllowHTMLEmail", "1"),
        ("MaxEmailAgeFilter", "0"), ("MaxEmailBodyTruncationSize", "-1"), ("MaxEmailHTMLBodyTruncationSize", "-1"),
        ("RequireSignedSMIMEMessages", "0"), ("RequireEncryptedSMIMEMessages", "0"), ("RequireSignedSMIMEAlgorithm", "0"),
        ("RequireEncryptionSMIMEAlgorithm", "0"), ("AllowSMIMEEncryptionAlgorithmNegotiation", "2"), ("AllowSMIMESoftCerts", "1"),
        ("AllowBrowser", "1"), ("AllowConsumerEmail", "1"), ("AllowRemoteDesktop", "1"), ("AllowInternetSharing", "1"),
    ];

    private readonly IReadOnlyList<(string Name, string Value)> _values;

    private ProvisioningPolicy(IReadOnlyList<(string Name, string Value)> values) => _values = values;

    public static ProvisioningPolicy From(IReadOnlyDictionary<string, string> overrides)
    {
        var unknown = overrides.Keys.Where(name => !Defaults.Any(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException($"ActiveSync:Policy has unknown settings: {string.Join(", ", unknown)}");
        var byName = new Dictionary<string, string>(overrides, StringComparer.OrdinalIgnoreCase);
        return new ProvisioningPolicy(Defaults.Select(d => (d.Name, byName.GetValueOrDefault(d.Name, d.Value))).ToList());
    }

    public XElement Document()
    {
        var ns = ActiveSyncNamespaces.Provision;
        return new XElement(ns + "EASProvisionDoc", _values.Select(v => new XElement(ns + v.Name, v.Value)));
    }
}
