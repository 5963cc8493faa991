using System.Diagnostics;

namespace SyncServer.Storage.Tests;

/// <summary>Runs tests/SyncServer.Storage.TestProcess (built beside this project through a non-linking reference).</summary>
internal static class TestProcess
{
    public static Process Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(DllPath());
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the test process");
    }

    public static async Task RunAsync(params string[] arguments)
    {
        using var process = Start(arguments);
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(process.ExitCode, Is.Zero, await error);
    }

    // bin/<configuration>/<tfm>/ of this project → the same under the TestProcess project.
    private static string DllPath()
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!;
        var tests = configuration.Parent!.Parent!.Parent!;
        var path = Path.Combine(tests.FullName, "SyncServer.Storage.TestProcess", "bin", configuration.Name, tfm.Name, "SyncServer.Storage.TestProcess.dll");
        Assert.That(File.Exists(path), Is.True, $"test process not built at {path}");
        return path;
    }
}
