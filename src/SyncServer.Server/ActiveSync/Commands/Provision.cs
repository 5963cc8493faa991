using System.Security.Cryptography;
using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Http;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// Provision (MS-ASPROV): phase 1 hands out the policy and a temporary key, phase 2 exchanges the acknowledged
/// temporary key for the final one, kept per (account, device). A pending remote wipe is carried on every
/// Provision response until the device acknowledges it; DeviceInformation inside Provision (14.1+) is recorded
/// and acknowledged first (client-requirements EAS-PROV-01 … 07).
/// </summary>
public sealed partial class Provision(IDeviceStore devices, ProvisioningPolicy policy, ILogger<Provision> logger) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.Provision;

    /// <summary>Policy/Status values (MS-ASPROV 2.2.2.54.1).</summary>
    private const int PolicySuccess = 1, PolicyTypeUnknown = 3, PolicyKeyWrong = 5;

    /// <summary>Provision/Status values (MS-ASPROV 2.2.2.54.2).</summary>
    private const int Success = 1, ProtocolError = 2;

    public string Name => "Provision";

    public XName Root => Ns + "Provision";

    public bool NeedsProvisioning => false;

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        var device = request.Device;
        var body = request.Body ?? new XElement(Root);
        var response = new XElement(Root);
        if (body.Element(ActiveSyncNamespaces.Settings + "DeviceInformation") is { } information)
        {
            await devices.SetInformationAsync(device.Account, device.DeviceId, Settings.ReadDeviceInformation(information), cancellationToken);
            response.Add(new XElement(ActiveSyncNamespaces.Settings + "DeviceInformation", new XElement(ActiveSyncNamespaces.Settings + "Status", 1)));
        }

        if ((body.Element(Ns + "RemoteWipe") ?? body.Element(Ns + "AccountOnlyRemoteWipe")) is { } acknowledgement)
            return await AcknowledgeWipeAsync(device, acknowledgement, response, cancellationToken);

        var requested = body.Element(Ns + "Policies")?.Element(Ns + "Policy");
        if (requested is null)
        {
            // An empty Provision is what a device sends after a wipe directive, or to learn of one (3.1.5.1.1).
            response.Add(new XElement(Ns + "Status", device.Wipe == WipeState.None ? ProtocolError : Success));
            return new ActiveSyncResponse(WithWipeDirective(response, device, request.Version));
        }
        var policyType = (string?)requested.Element(Ns + "PolicyType");
        response.Add(new XElement(Ns + "Status", Success));
        if (policyType != ProvisioningPolicy.PolicyType)
        {
            response.Add(Policies(policyType, PolicyTypeUnknown));
            return new ActiveSyncResponse(WithWipeDirective(response, device, request.Version));
        }

        if (requested.Element(Ns + "PolicyKey") is null)
        {
            // Phase 1: a temporary key, valid only for the acknowledgement.
            var temporary = NewKey();
            await devices.SetPolicyKeysAsync(device.Account, device.DeviceId, device.PolicyKey, temporary, cancellationToken);
            response.Add(Policies(policyType, PolicySuccess, temporary, new XElement(Ns + "Data", policy.Document())));
            return new ActiveSyncResponse(WithWipeDirective(response, device, request.Version));
        }

        // Phase 2: the device acknowledges the temporary key. A wipe still pending is not cancelled by it.
        var acknowledged = uint.TryParse((string?)requested.Element(Ns + "PolicyKey"), out var key) ? key : 0;
        if (device.PendingPolicyKey == 0 || acknowledged != device.PendingPolicyKey || device.Wipe != WipeState.None)
        {
            response.Add(Policies(policyType, PolicyKeyWrong));
            return new ActiveSyncResponse(WithWipeDirective(response, device, request.Version));
        }
        var final = NewKey();
        await devices.SetPolicyKeysAsync(device.Account, device.DeviceId, final, 0, cancellationToken);
        Provisioned(logger, device.DeviceId, device.DeviceType);
        response.Add(Policies(policyType, PolicySuccess, final));
        return new ActiveSyncResponse(response);
    }

    private async Task<ActiveSyncResponse> AcknowledgeWipeAsync(Device device, XElement acknowledgement, XElement response, CancellationToken cancellationToken)
    {
        var succeeded = (int?)acknowledgement.Element(Ns + "Status") == 1;
        if (succeeded && device.Wipe != WipeState.None)
        {
            await devices.SetWipeAsync(device.Account, device.DeviceId, WipeState.Wiped, cancellationToken);
            WipeAcknowledged(logger, device.DeviceId, device.DeviceType);
        }
        // MS-ASPROV 3.2.5.1.2.2: 1 when the device reports success, else 2 and the directive again.
        response.Add(new XElement(Ns + "Status", succeeded ? Success : ProtocolError), new XElement(acknowledgement.Name));
        return new ActiveSyncResponse(response);
    }

    private static XElement Policies(string? policyType, int status, uint? key = null, XElement? data = null)
        => new(Ns + "Policies", new XElement(Ns + "Policy",
            new XElement(Ns + "PolicyType", policyType ?? ""),
            new XElement(Ns + "Status", status),
            key is { } k ? new XElement(Ns + "PolicyKey", k) : null,
            data));

    /// <summary>Adds RemoteWipe (or 16.1's AccountOnlyRemoteWipe) after Status while a wipe is pending.</summary>
    private static XElement WithWipeDirective(XElement response, Device device, ActiveSyncVersion version)
    {
        if (device.Wipe is not (WipeState.Requested or WipeState.AccountOnlyRequested))
            return response;
        var accountOnly = device.Wipe == WipeState.AccountOnlyRequested && version >= ActiveSyncVersion.V16_1;
        response.Add(new XElement(Ns + (accountOnly ? "AccountOnlyRemoteWipe" : "RemoteWipe")));
        return response;
    }

    /// <summary>A random non-zero key: 0 means "not provisioned" and some clients refuse it (EAS-PROV-02).</summary>
    private static uint NewKey()
    {
        uint key;
        do
            key = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
        while (key == 0);
        return key;
    }

    [LoggerMessage(6010, LogLevel.Information, "ActiveSync device {DeviceId} ({DeviceType}) provisioned")]
    private static partial void Provisioned(ILogger logger, string deviceId, string deviceType);

    [LoggerMessage(6011, LogLevel.Warning, "ActiveSync device {DeviceId} ({DeviceType}) acknowledged its remote wipe")]
    private static partial void WipeAcknowledged(ILogger logger, string deviceId, string deviceType);
}
