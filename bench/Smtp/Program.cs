// The SMTP benchmark: our server against the reference Postfix (delivering to Dovecot by LMTP) in one run,
// printing one "name value unit" line per figure. bench/smtp.sh prepares both and runs this:
//   dotnet run -c Release --project bench/Smtp -- --server DLL --data DIR --users N
//       [--connections 16] [--small 2000] [--large 100] [--submission 400]
//       [--theirs-mx 10025] [--theirs-submission 10587] [--rss-sessions 200] [--rss-megabytes 50]
// Users are user1..userN@example.test with password "pass" on both servers.
using System.Globalization;
using SyncServer.Bench.Smtp;

var options = new Dictionary<string, string>
{
    ["connections"] = "16", ["small"] = "2000", ["large"] = "100", ["submission"] = "400", ["users"] = "10",
    ["theirs-mx"] = "10025", ["theirs-submission"] = "10587", ["rss-sessions"] = "200", ["rss-megabytes"] = "50",
};
for (var i = 0; i + 1 < args.Length; i += 2)
    options[args[i].TrimStart('-')] = args[i + 1];
int Number(string name) => int.Parse(options[name], CultureInfo.InvariantCulture);

var users = Enumerable.Range(1, Number("users")).Select(i => $"user{i}@example.test").ToList();
var load = new Load(Number("connections"), users, "pass");
using var dns = new NxDomainResolver();
await using var ours = await ServerUnderTest.StartAsync(options["server"], options["data"], dns.Address);

// Warm-up (JIT, connection pools, SQLite pages) on both, not reported.
await load.MxAsync(ours.Mx, 200, 4096);
await load.MxAsync(Number("theirs-mx"), 200, 4096);

foreach (var (name, count, size) in new[] { ("4KB", Number("small"), 4096), ("1MB", Number("large"), 1_000_000) })
{
    var oursRate = await load.MxAsync(ours.Mx, count, size);
    var theirsRate = await load.MxAsync(Number("theirs-mx"), count, size);
    Report($"smtp.mx_{name}.ours", oursRate, "msgs/s");
    Report($"smtp.mx_{name}.postfix_dovecot", theirsRate, "msgs/s");
    Report($"smtp.mx_{name}.ratio", oursRate / theirsRate, "ours/theirs");
}

var oursSubmission = await load.SubmissionAsync(ours.Submission, Number("submission"), 4096);
var theirsSubmission = await load.SubmissionAsync(Number("theirs-submission"), Number("submission"), 4096);
Report("smtp.submission_4KB.ours", oursSubmission, "msgs/s");
Report("smtp.submission_4KB.postfix_dovecot", theirsSubmission, "msgs/s");
Report("smtp.submission_4KB.ratio", oursSubmission / theirsSubmission, "ours/theirs");

Report("smtp.ours.peak_rss_after_throughput", ours.PeakRssMegabytes(), "MiB");
var (sessions, megabytes) = (Number("rss-sessions"), Number("rss-megabytes"));
var seconds = await Load.ConcurrentLargeAsync(ours.Mx, sessions, megabytes, users[0]);
Report($"smtp.ours.peak_rss_{sessions}x{megabytes}MB", ours.PeakRssMegabytes(), "MiB");
Report($"smtp.ours.time_{sessions}x{megabytes}MB", seconds, "s");

static void Report(string name, double value, string unit) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value:0.###} {unit}"));
