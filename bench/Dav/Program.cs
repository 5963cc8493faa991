// The CalDAV/CardDAV load generator: the same workload against each target given, one "name value unit" line per figure,
// then "ratio" lines first/second target (bench/dav.sh passes ours first, Radicale second).
//   dotnet run -c Release --project bench/Dav -- --target NAME BASE_URL USER PASSWORD CALENDAR_PATH ADDRESSBOOK_PATH [--target ...]
//       [--events N] [--cards N]
// BASE_URL is https (the certificate is not checked: both servers use throwaway self-signed ones).
using System.Globalization;
using SyncServer.Bench.Dav;

var targets = new List<Target>();
var events = 10_000;
var cards = 5_000;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--target":
            targets.Add(new Target(args[i + 1], new Uri(args[i + 2]), args[i + 3], args[i + 4], args[i + 5], args[i + 6]));
            i += 6;
            break;
        case "--events":
            events = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--cards":
            cards = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        default:
            throw new ArgumentException($"unknown argument {args[i]}");
    }
}

var results = new List<Dictionary<string, (double Value, string Unit)>>();
foreach (var target in targets)
{
    var figures = new Dictionary<string, (double, string)>();
    void Report(string name, double value, string unit)
    {
        figures[name] = (value, unit);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{target.Name}.{name} {value:0.###} {unit}"));
    }
    await DavBenchmarks.RunAsync(target, events, cards, Report);
    results.Add(figures);
}
if (results.Count == 2)
{
    foreach (var (name, (ours, unit)) in results[0])
        if (results[1].TryGetValue(name, out var peer) && peer.Value != 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio {name} {ours / peer.Value:0.###} {targets[0].Name}/{targets[1].Name} ({unit})"));
}
