using System.CommandLine;
using SyncServer.Server.Hosting;

namespace SyncServer.Server.Cli;

public static class ServeCommand
{
    public static Command Create(CliApp app)
    {
        var serve = new Command("serve", "Start every listener; on a new data directory, create the administrator and print its password once");
        serve.SetAction(async (parse, _) => app.TryLoadSettings(parse, out var configuration, out var settings)
            ? await ServerHost.RunAsync(configuration, settings)
            : ExitCodes.Invalid);
        return serve;
    }
}
