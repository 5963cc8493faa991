using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Http;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// Settings (MS-ASCMD 2.2.1.18; client-requirements EAS-SET-01): DeviceInformation Set is recorded on the device,
/// UserInformation Get tells the client its address (iOS uses it as the From address), Oof Get answers "off".
/// Each section answers with its own Status. Out-of-office replies are not stored yet, so Oof Set is refused with
/// status 2 rather than silently accepted; DevicePassword recovery is not kept either (status 1, nothing stored:
/// the default policy disables password recovery).
/// </summary>
public sealed class Settings(IDeviceStore devices) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.Settings;
    private const int Success = 1, ProtocolError = 2;

    public string Name => "Settings";

    public XName Root => Ns + "Settings";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        var response = new XElement(Root, new XElement(Ns + "Status", Success));
        foreach (var section in request.Body?.Elements() ?? [])
        {
            var answer = section.Name.LocalName switch
            {
                "DeviceInformation" => await SetDeviceInformationAsync(request.Device, section, cancellationToken),
                "UserInformation" => UserInformation(request.Account, request.Version),
                "Oof" => Oof(section),
                "DevicePassword" => new XElement(Ns + "DevicePassword", new XElement(Ns + "Status", Success)),
                _ => new XElement(section.Name, new XElement(Ns + "Status", ProtocolError)),
            };
            response.Add(answer);
        }
        return new ActiveSyncResponse(response);
    }

    /// <summary>The DeviceInformation/Set fields the device list shows; also read inside Provision (14.1+).</summary>
    public static DeviceInformation ReadDeviceInformation(XElement deviceInformation)
    {
        var set = deviceInformation.Element(Ns + "Set");
        string? Field(string name) => (string?)set?.Element(Ns + name) is { Length: > 0 } value ? value[..Math.Min(value.Length, 256)] : null;
        return new DeviceInformation(Field("Model"), Field("FriendlyName"), Field("OS"), Field("PhoneNumber"));
    }

    private async Task<XElement> SetDeviceInformationAsync(Device device, XElement section, CancellationToken cancellationToken)
    {
        await devices.SetInformationAsync(device.Account, device.DeviceId, ReadDeviceInformation(section), cancellationToken);
        return new XElement(Ns + "DeviceInformation", new XElement(Ns + "Status", Success));
    }

    private static XElement UserInformation(Account account, ActiveSyncVersion version)
    {
        // 14.1 added Accounts/Account with the display name; earlier versions know only the address list.
        var get = version >= ActiveSyncVersion.V14_1
            ? new XElement(Ns + "Get", new XElement(Ns + "Accounts", new XElement(Ns + "Account",
                new XElement(Ns + "UserDisplayName", account.DisplayName),
                new XElement(Ns + "EmailAddresses", new XElement(Ns + "PrimarySmtpAddress", account.Address)))))
            : new XElement(Ns + "Get", new XElement(Ns + "EmailAddresses", new XElement(Ns + "SmtpAddress", account.Address)));
        return new XElement(Ns + "UserInformation", new XElement(Ns + "Status", Success), get);
    }

    private static XElement Oof(XElement section)
        => section.Element(Ns + "Get") is not null
            ? new XElement(Ns + "Oof", new XElement(Ns + "Status", Success), new XElement(Ns + "Get", new XElement(Ns + "OofState", 0)))
            : new XElement(Ns + "Oof", new XElement(Ns + "Status", ProtocolError));
}
