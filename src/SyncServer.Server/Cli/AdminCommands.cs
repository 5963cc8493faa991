using System.CommandLine;
using SyncServer.Server.Hosting;

namespace SyncServer.Server.Cli;

public static class AdminCommands
{
    public static Command Create(CliApp app)
    {
        var admin = new Command("admin", "Administrators of the installation (web UI and REST API)");
        var name = new Argument<string>("NAME") { Description = "Administrator name", DefaultValueFactory = _ => ServerHost.InitialAdministrator };
        var passwordStdin = CliApp.PasswordStdinOption();
        var passwd = new Command("passwd", "Set an administrator's password (from standard input)") { name, passwordStdin };
        passwd.SetAction((parse, ct) => CliApp.TryReadPassword(parse, passwordStdin, out var password)
            ? app.WithDirectoryAsync(parse, async directory => CliApp.Report(await directory.SetAdministratorPasswordAsync(parse.GetValue(name)!, password, ct)), ct)
            : Task.FromResult(ExitCodes.Invalid));
        admin.Subcommands.Add(passwd);
        return admin;
    }
}
