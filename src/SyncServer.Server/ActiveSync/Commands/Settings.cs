using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Http;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// Settings (MS-ASCMD 2.2.1.18; client-requirements EAS-SET-01): DeviceInformation Set is recorded on the device,
/// UserInformation Get tells the client its address (iOS uses it as the From address), Oof Get and Set read and
/// replace the account's stored out-of-office setting (<see cref="OofRecord"/>; status 2 for a malformed one, 5 for a
/// time-based one without a proper period). Each section answers with its own Status. Whether mail is answered with
/// the out-of-office message is delivery's business, not this command's. DevicePassword recovery is not kept
/// (status 1, nothing stored: the default policy disables password recovery).
/// </summary>
public sealed class Settings(IDeviceStore devices, IOutOfOfficeStore outOfOffice) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.Settings;
    private const int Success = 1, ProtocolError = 2, InvalidArguments = 5;

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
                "Oof" => await OofAsync(request.Account.Id, section, cancellationToken),
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

    private async Task<XElement> OofAsync(AccountId account, XElement section, CancellationToken cancellationToken)
    {
        XElement Status(int status, XElement? get = null) => new(Ns + "Oof", new XElement(Ns + "Status", status), get);
        if (section.Element(Ns + "Get") is { } get)
            return OofRecord.AsksHtml(get) is { } html
                ? Status(Success, OofRecord.Get(await outOfOffice.GetAsync(account, cancellationToken), html))
                : Status(ProtocolError);
        if (section.Element(Ns + "Set") is not { } set)
            return Status(ProtocolError);
        var current = await outOfOffice.GetAsync(account, cancellationToken);
        if (OofRecord.Set(set, current, out var badPeriod) is not { } changed)
            return Status(badPeriod ? InvalidArguments : ProtocolError);
        await outOfOffice.SetAsync(account, changed, cancellationToken);
        return Status(Success);
    }
}
