// The IMAP load generator: the same workload against each target given, one "name value unit" line per figure,
// then "ratio" lines first/second target (bench/imap.sh passes ours first, Dovecot second).
//   dotnet run -c Release --project bench/Imap -- --target NAME HOST PORT USER PASSWORD PID [--target ...]
//       [--messages N] [--idle N]
// PORT is implicit TLS (IMAPS). PID is the server's process: its RSS and its descendants' are summed.
using System.Globalization;
using SyncServer.Bench;
using SyncServer.Bench.Imap;

var targets = new List<Target>();
var messages = 10_000;
var idle = 5_000;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--target":
            targets.Add(new Target(args[i + 1], args[i + 2], int.Parse(args[i + 3], CultureInfo.InvariantCulture), args[i + 4], args[i + 5],
                int.Parse(args[i + 6], CultureInfo.InvariantCulture)));
            i += 6;
            break;
        case "--messages":
            messages = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--idle":
            idle = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        default:
            throw new ArgumentException($"unknown argument {args[i]}");
    }
}

await SideBySide.RunAsync(targets, t => t.Name, (target, report) => ImapBenchmarks.RunAsync(target, messages, idle, report));
