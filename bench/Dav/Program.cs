// The CalDAV/CardDAV load generator: the same workload against each target given, one "name value unit" line per figure,
// then "ratio" lines first/second target (bench/dav.sh passes ours first, Radicale second).
//   dotnet run -c Release --project bench/Dav -- --target NAME BASE_URL USER PASSWORD CALENDAR_PATH ADDRESSBOOK_PATH [--files DIR]
//       [--target ...] [--events N] [--cards N] [--put-events N] [--put-cards N]
// BASE_URL is https (the certificate is not checked: both servers use throwaway self-signed ones). --files after a target:
// its collections are filled by writing files under DIR at the collections' paths (Radicale's collection-root), not by PUT.
// The collections are filled with --events/--cards items untimed, then --put-events/--put-cards more are PUT, timed.
using System.Globalization;
using SyncServer.Bench;
using SyncServer.Bench.Dav;

var targets = new List<Target>();
var sizes = new Sizes(Events: 10_000, Cards: 5_000, PutEvents: 100, PutCards: 50);
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--target":
            targets.Add(new Target(args[i + 1], new Uri(args[i + 2]), args[i + 3], args[i + 4], args[i + 5], args[i + 6]));
            i += 6;
            break;
        case "--files":
            targets[^1] = targets[^1] with { Files = args[++i] };
            break;
        case "--events":
            sizes = sizes with { Events = Number(args[++i]) };
            break;
        case "--cards":
            sizes = sizes with { Cards = Number(args[++i]) };
            break;
        case "--put-events":
            sizes = sizes with { PutEvents = Number(args[++i]) };
            break;
        case "--put-cards":
            sizes = sizes with { PutCards = Number(args[++i]) };
            break;
        default:
            throw new ArgumentException($"unknown argument {args[i]}");
    }
}

await SideBySide.RunAsync(targets, t => t.Name, (target, report) => DavBenchmarks.RunAsync(target, sizes, report));

static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);
