// The CalDAV/CardDAV load generator: the same workload against each target given, one "name value unit" line per figure,
// then "ratio" lines first/second target (bench/dav.sh passes ours first, Radicale second).
//   dotnet run -c Release --project bench/Dav -- --target NAME BASE_URL USER PASSWORD CALENDAR_PATH ADDRESSBOOK_PATH [--target ...]
//       [--events N] [--cards N]
// BASE_URL is https (the certificate is not checked: both servers use throwaway self-signed ones).
using System.Globalization;
using SyncServer.Bench;
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

await SideBySide.RunAsync(targets, t => t.Name, (target, report) => DavBenchmarks.RunAsync(target, events, cards, report));
