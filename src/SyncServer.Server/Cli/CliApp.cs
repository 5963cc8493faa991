using System.CommandLine;
using SyncServer.Core.Credentials;
using SyncServer.Core.Directory;
using SyncServer.Server.Hosting;
using SyncServer.Storage;

namespace SyncServer.Server.Cli;

/// <summary>Exit codes of every verb (also listed in the root help).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Invalid = 1;
    public const int NotFound = 2;
    public const int Conflict = 3;
}

/// <summary>The command tree and what every verb shares: <c>--data</c>, <c>--config</c>, opening the store, reporting outcomes.</summary>
public sealed class CliApp
{
    private const string Description = """
        SyncServer: mail, calendars and contacts over one store.
        Passwords are read from standard input (--password-stdin), never from the command line.
        Exit codes: 0 ok, 1 bad input or usage, 2 not found, 3 already exists.
        """;

    public Option<string?> Data { get; } = new("--data")
    {
        Description = "Data directory (default ./data; overrides DataDirectory)",
        Recursive = true,
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = "JSON configuration file (appsettings-style); SYNCSERVER__SECTION__KEY variables override it",
        Recursive = true,
    };

    /// <summary>Response files are off: a catch-all alias source <c>@example.org</c> is an argument, not a file to read.</summary>
    public static readonly ParserConfiguration ParserConfiguration = new() { ResponseFileTokenReplacer = null };

    public RootCommand Build()
    {
        var root = new RootCommand(Description) { Data, Config };
        root.Subcommands.Add(ServeCommand.Create(this));
        root.Subcommands.Add(DomainCommands.Create(this));
        root.Subcommands.Add(UserCommands.Create(this));
        root.Subcommands.Add(AliasCommands.Create(this));
        root.Subcommands.Add(ListCommands.Create(this));
        root.Subcommands.Add(AdminCommands.Create(this));
        root.Subcommands.Add(QueueCommands.Create(this));
        root.Subcommands.Add(DeviceCommands.Create(this));
        root.Subcommands.Add(ShareCommands.Create(this));
        return root;
    }

    public bool TryLoadSettings(ParseResult parse, out IConfiguration configuration, out SyncServerSettings settings)
    {
        var ok = SettingsLoader.TryLoad(parse.GetValue(Config), parse.GetValue(Data), out var root, out settings, out var error);
        configuration = root;
        if (!ok)
            Console.Error.WriteLine($"error: {error}");
        return ok;
    }

    /// <summary>Loads the configuration, opens the store and runs <paramref name="action"/> on the directory.</summary>
    public Task<int> WithDirectoryAsync(ParseResult parse, Func<DirectoryAdministration, Task<int>> action, CancellationToken cancellationToken)
        => WithStoreAsync(parse, (store, settings) =>
            action(new DirectoryAdministration(store.Directory, new PasswordHasher(settings.Security.PasswordIterations))), cancellationToken);

    /// <summary>Loads the configuration, opens the store and runs <paramref name="action"/> on it.</summary>
    public async Task<int> WithStoreAsync(ParseResult parse, Func<OpenedStore, SyncServerSettings, Task<int>> action, CancellationToken cancellationToken)
    {
        if (!TryLoadSettings(parse, out _, out var settings))
            return ExitCodes.Invalid;
        await using var store = await StoreHost.OpenAsync(settings.ToStorageOptions(), TimeProvider.System, cancellationToken);
        return await action(store, settings);
    }

    /// <summary>Prints a failure as one line on standard error and maps it to the exit code.</summary>
    public static int Report(AdminResult result)
    {
        if (result.IsOk)
            return ExitCodes.Ok;
        Console.Error.WriteLine($"error: {result.Message}");
        return result.Error switch
        {
            AdminError.NotFound => ExitCodes.NotFound,
            AdminError.Conflict => ExitCodes.Conflict,
            _ => ExitCodes.Invalid,
        };
    }

    /// <summary>The <c>--password-stdin</c> flag every verb that sets a password requires.</summary>
    public static Option<bool> PasswordStdinOption() => new("--password-stdin")
    {
        Description = "Read the password from the first line of standard input (required)",
    };

    /// <summary>
    /// The first line of standard input, without its line ending ("" when there is none); false, with the error
    /// printed, when <c>--password-stdin</c> was not given.
    /// </summary>
    public static bool TryReadPassword(ParseResult parse, Option<bool> passwordStdin, out string password)
    {
        password = "";
        if (!parse.GetValue(passwordStdin))
        {
            Console.Error.WriteLine("error: give --password-stdin and the password on standard input");
            return false;
        }
        password = Console.In.ReadLine() ?? "";
        return true;
    }
}
