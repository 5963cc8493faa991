using Microsoft.Extensions.Configuration;

namespace SyncServer.Server.Hosting;

/// <summary>Reads the configuration: the optional JSON file, then <c>SYNCSERVER__SECTION__KEY</c> variables, then <c>--data</c>.</summary>
public static class SettingsLoader
{
    public const string EnvironmentPrefix = "SYNCSERVER__";

    public static bool TryLoad(string? configFile, string? dataDirectory, out IConfigurationRoot configuration, out SyncServerSettings settings, out string error)
    {
        configuration = new ConfigurationBuilder().Build();
        settings = new SyncServerSettings();
        error = "";
        if (configFile is not null && !File.Exists(configFile))
        {
            error = $"configuration file {configFile} does not exist";
            return false;
        }
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        if (dataDirectory is not null)
            builder.AddInMemoryCollection([new(nameof(SyncServerSettings.DataDirectory), dataDirectory)]);
        try
        {
            configuration = builder.Build();
            settings = configuration.Get<SyncServerSettings>() ?? new SyncServerSettings();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException)
        {
            error = $"configuration: {e.Message.ReplaceLineEndings(" ")}";
            return false;
        }
        var invalid = settings.Validate();
        error = invalid is null ? "" : $"configuration: {invalid}";
        return invalid is null;
    }
}
