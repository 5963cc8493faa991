using System.CommandLine;
using System.Globalization;
using SyncServer.Core.Directory;
using SyncServer.Core.Model;
using SyncServer.Storage;

namespace SyncServer.Server.Cli;

/// <summary><c>device list|wipe|remove</c>: the ActiveSync devices of accounts, on the same store as a running server.</summary>
public static class DeviceCommands
{
    public static Command Create(CliApp app)
    {
        var device = new Command("device", "ActiveSync devices (phones, tablets, Outlook)");
        var someAddress = new Argument<string?>("ADDRESS") { Description = "Only this account's devices", Arity = ArgumentArity.ZeroOrOne };
        var address = new Argument<string>("ADDRESS") { Description = "The account, e.g. bob@example.org" };
        var deviceId = new Argument<string>("DEVICE-ID") { Description = "The device id that `device list` shows" };

        var list = new Command("list",
            "List devices: account, device id, type, model, last seen, policy (provisioned or not), wipe state (tab-separated)") { someAddress };
        list.SetAction((parse, ct) => app.WithStoreAsync(parse, async (store, _) =>
        {
            Account? only = null;
            if (parse.GetValue(someAddress) is { } given)
            {
                (only, var exit) = await FindAccountAsync(store, given, ct);
                if (only is null)
                    return exit;
            }
            var addresses = (await store.Directory.ListAccountsAsync(null, ct)).ToDictionary(a => a.Id, a => a.Address);
            foreach (var d in await store.Devices.ListDevicesAsync(only?.Id, ct))
                Console.WriteLine(string.Join('\t', addresses.GetValueOrDefault(d.Account, "?"), d.DeviceId, d.DeviceType, d.Information.Model ?? "-",
                    d.LastSeen.ToString("u", CultureInfo.InvariantCulture), d.PolicyKey == 0 ? "not provisioned" : "provisioned", WipeText(d)));
            return ExitCodes.Ok;
        }, ct));

        var accountOnly = new Option<bool>("--account-only") { Description = "Remove only this account's data (ActiveSync 16.1 devices; others wipe all)" };
        var wipe = new Command("wipe", "Wipe a device at its next connection (it is then blocked until removed)") { address, deviceId, accountOnly };
        wipe.SetAction((parse, ct) => WithDeviceAsync(app, parse, address, deviceId, ct, (store, account, id) =>
            store.Devices.SetWipeAsync(account.Id, id, parse.GetValue(accountOnly) ? WipeState.AccountOnlyRequested : WipeState.Requested, ct)));

        var remove = new Command("remove", "Forget a device: its sync state goes, and it must provision and sync anew") { address, deviceId };
        remove.SetAction((parse, ct) => WithDeviceAsync(app, parse, address, deviceId, ct,
            (store, account, id) => store.Devices.RemoveDeviceAsync(account.Id, id, ct)));

        device.Subcommands.Add(list);
        device.Subcommands.Add(wipe);
        device.Subcommands.Add(remove);
        return device;
    }

    private static string WipeText(Device device) => device.Wipe switch
    {
        WipeState.Requested => "wipe pending",
        WipeState.AccountOnlyRequested => "account wipe pending",
        WipeState.Wiped => "wiped " + device.WipeAcknowledgedAt?.ToString("u", CultureInfo.InvariantCulture),
        _ => "-",
    };

    private static Task<int> WithDeviceAsync(CliApp app, ParseResult parse, Argument<string> address, Argument<string> deviceId,
        CancellationToken cancellationToken, Func<OpenedStore, Account, string, Task<bool>> action)
        => app.WithStoreAsync(parse, async (store, _) =>
        {
            var (account, exit) = await FindAccountAsync(store, parse.GetValue(address)!, cancellationToken);
            if (account is null)
                return exit;
            var id = parse.GetValue(deviceId)!;
            return await action(store, account, id)
                ? ExitCodes.Ok
                : CliApp.Report(AdminResult.NotFound($"{account.Address} has no device {id}"));
        }, cancellationToken);

    /// <summary>The account, or null and the exit code already reported.</summary>
    private static async Task<(Account? Account, int Exit)> FindAccountAsync(OpenedStore store, string address, CancellationToken cancellationToken)
    {
        if (!EmailAddress.TryParse(address, out var parsed) || parsed.Domain is null)
            return (null, CliApp.Report(AdminResult.Invalid($"'{address}' is not an address")));
        return await store.Directory.GetAccountAsync(parsed.ToString(), cancellationToken) is { } account
            ? (account, ExitCodes.Ok)
            : (null, CliApp.Report(AdminResult.NotFound($"account {parsed} does not exist")));
    }
}
