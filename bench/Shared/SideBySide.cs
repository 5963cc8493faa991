using System.Diagnostics;
using System.Globalization;

namespace SyncServer.Bench;

/// <summary>
/// The same workload against each target in turn (ours first, the peer second): one <c>target.name value unit</c>
/// line per figure, then for every figure both reported a <c>ratio name value first/second (unit)</c> line.
/// </summary>
public static class SideBySide
{
    public static async Task RunAsync<TTarget>(IReadOnlyList<TTarget> targets, Func<TTarget, string> nameOf,
        Func<TTarget, Action<string, double, string>, Task> workload)
    {
        var results = new List<Dictionary<string, (double Value, string Unit)>>();
        foreach (var target in targets)
        {
            var figures = new Dictionary<string, (double Value, string Unit)>();
            await workload(target, (name, value, unit) =>
            {
                figures[name] = (value, unit);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{nameOf(target)}.{name} {value:0.###} {unit}"));
            });
            results.Add(figures);
        }
        if (results.Count != 2)
            return;
        foreach (var (name, (ours, unit)) in results[0])
            if (results[1].TryGetValue(name, out var peer) && peer.Value != 0)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ratio {name} {ours / peer.Value:0.###} {nameOf(targets[0])}/{nameOf(targets[1])} ({unit})"));
    }
}

/// <summary>Timing and checking helpers the load generators share.</summary>
public static class Measure
{
    public static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed;
    }

    /// <summary>The median of <paramref name="repeats"/> timed runs, in milliseconds.</summary>
    public static async Task<double> MedianMsAsync(int repeats, Func<Task> action)
    {
        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
            times.Add((await TimeAsync(action)).TotalMilliseconds);
        return Median(times);
    }

    public static double Median(IReadOnlyCollection<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>A workload result that is not what was asked for is said on stderr (the figure would measure something else).</summary>
    public static void Check(string target, string what, int actual, int expected)
    {
        if (actual != expected)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {target}: {what} gave {actual}, expected {expected}"));
    }
}
