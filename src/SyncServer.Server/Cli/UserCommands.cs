using System.CommandLine;
using SyncServer.Core.Directory;

namespace SyncServer.Server.Cli;

public static class UserCommands
{
    public static Command Create(CliApp app)
    {
        var user = new Command("user", "User accounts");
        var address = new Argument<string>("ADDRESS") { Description = "The account's address, e.g. bob@example.org" };

        var passwordStdin = CliApp.PasswordStdinOption();
        var name = new Option<string?>("--name") { Description = "Display name (default: the address's local part)" };
        var quota = new Option<string?>("--quota") { Description = "Quota, e.g. 500M, 2G or bytes (default: none)" };
        var add = new Command("add", "Add an account (password from standard input)") { address, passwordStdin, name, quota };
        add.SetAction((parse, ct) => CliApp.TryReadPassword(parse, passwordStdin, out var password)
            ? app.WithDirectoryAsync(parse, async admin => CliApp.Report(
                (await admin.AddUserAsync(parse.GetValue(address)!, password, parse.GetValue(name), parse.GetValue(quota), ct)).Outcome), ct)
            : Task.FromResult(ExitCodes.Invalid));

        var domain = new Argument<string?>("DOMAIN") { Description = "Only this domain's accounts", Arity = ArgumentArity.ZeroOrOne };
        var list = new Command("list", "List accounts: address, display name, quota, enabled/disabled (tab-separated)") { domain };
        list.SetAction((parse, ct) => app.WithDirectoryAsync(parse, async admin =>
        {
            var result = await admin.ListAccountsAsync(parse.GetValue(domain), ct);
            foreach (var a in result.Value ?? [])
                Console.WriteLine($"{a.Address}\t{a.DisplayName}\t{(a.QuotaBytes is { } q ? ByteSize.Format(q) : "-")}\t{(a.Enabled ? "enabled" : "disabled")}");
            return CliApp.Report(result.Outcome);
        }, ct));

        var passwdStdin = CliApp.PasswordStdinOption();
        var passwd = new Command("passwd", "Set an account's password (from standard input)") { address, passwdStdin };
        passwd.SetAction((parse, ct) => CliApp.TryReadPassword(parse, passwdStdin, out var password)
            ? app.WithDirectoryAsync(parse, async admin => CliApp.Report(await admin.SetPasswordAsync(parse.GetValue(address)!, password, ct)), ct)
            : Task.FromResult(ExitCodes.Invalid));

        var remove = new Command("remove", "Remove an account and all its mail, calendars and contacts") { address };
        remove.SetAction((parse, ct) => app.WithDirectoryAsync(parse,
            async admin => CliApp.Report(await admin.RemoveAccountAsync(parse.GetValue(address)!, ct)), ct));

        user.Subcommands.Add(add);
        user.Subcommands.Add(list);
        user.Subcommands.Add(passwd);
        user.Subcommands.Add(remove);
        user.Subcommands.Add(SetEnabled(app, address, "enable", "Allow an account to log in", true));
        user.Subcommands.Add(SetEnabled(app, address, "disable", "Stop an account from logging in (mail is still delivered)", false));
        user.Subcommands.Add(AppPasswordCommands(app, address));
        return user;
    }

    /// <summary><c>user app-password add|list|remove</c>: per-client secrets that work wherever the account password does.</summary>
    private static Command AppPasswordCommands(CliApp app, Argument<string> address)
    {
        var appPassword = new Command("app-password", "App passwords: one per mail, calendar or phone client");
        var name = new Argument<string>("NAME") { Description = "What the password is for, e.g. \"phone\" or \"thunderbird\"" };

        var add = new Command("add", "Make an app password and print it (it is shown only this once)") { address, name };
        add.SetAction((parse, ct) => app.WithDirectoryAsync(parse, async admin =>
        {
            var result = await admin.AddAppPasswordAsync(parse.GetValue(address)!, parse.GetValue(name)!, ct);
            if (result.IsOk)
                Console.WriteLine(result.Value);
            return CliApp.Report(result.Outcome);
        }, ct));

        var list = new Command("list", "List an account's app passwords: name, created, last used (tab-separated)") { address };
        list.SetAction((parse, ct) => app.WithDirectoryAsync(parse, async admin =>
        {
            var result = await admin.ListAppPasswordsAsync(parse.GetValue(address)!, ct);
            foreach (var p in result.Value ?? [])
                Console.WriteLine($"{p.Name}\t{p.CreatedAt:u}\t{(p.LastUsedAt is { } used ? used.ToString("u") : "never")}");
            return CliApp.Report(result.Outcome);
        }, ct));

        var remove = new Command("remove", "Remove an app password: clients using it can no longer log in") { address, name };
        remove.SetAction((parse, ct) => app.WithDirectoryAsync(parse,
            async admin => CliApp.Report(await admin.RemoveAppPasswordAsync(parse.GetValue(address)!, parse.GetValue(name)!, ct)), ct));

        appPassword.Subcommands.Add(add);
        appPassword.Subcommands.Add(list);
        appPassword.Subcommands.Add(remove);
        return appPassword;
    }

    private static Command SetEnabled(CliApp app, Argument<string> address, string verb, string description, bool enabled)
    {
        var command = new Command(verb, description) { address };
        command.SetAction((parse, ct) => app.WithDirectoryAsync(parse,
            async admin => CliApp.Report(await admin.SetEnabledAsync(parse.GetValue(address)!, enabled, ct)), ct));
        return command;
    }
}
