// The ActiveSync load generator (bench/eas.sh starts the server): one "name value unit" line per figure.
//   dotnet run -c Release --project bench/Eas -- HTTPS_PORT IMAPS_PORT USER PASSWORD PID [--messages N] [--pings N]
// Figures: the initial Sync of an N-message folder (items/s, bytes on the wire), N Pings held at once (server RSS),
// and the latency from a change (IMAP APPEND) to each held Ping's answer, p50/p99. There is no peer: Z-Push, the
// EAS server this replaces, is not installed here, so no ratio is printed.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;

var (httpsPort, imapsPort, user, password, pid) = (int.Parse(args[0], CultureInfo.InvariantCulture), int.Parse(args[1], CultureInfo.InvariantCulture),
    args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture));
var messages = 10_000;
var pings = 1_000;
for (var i = 5; i < args.Length; i++)
{
    if (args[i] == "--messages")
        messages = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--pings")
        pings = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else
        throw new ArgumentException($"unknown argument {args[i]}");
}
void Report(string name, double value, string unit) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value:0.###} {unit}"));

XNamespace airSync = ActiveSyncNamespaces.AirSync, folders = ActiveSyncNamespaces.FolderHierarchy, provision = ActiveSyncNamespaces.Provision,
    ping = ActiveSyncNamespaces.Ping;
using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = int.MaxValue,
    SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
})
{ BaseAddress = new Uri($"https://127.0.0.1:{httpsPort}"), Timeout = TimeSpan.FromHours(1) };
var credentials = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
long wireBytes = 0;

async Task<XElement?> PostAsync(string device, uint? policyKey, string command, XElement? body)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, $"/Microsoft-Server-ActiveSync?Cmd={command}&User={user}&DeviceId={device}&DeviceType=Bench");
    request.Headers.Authorization = credentials;
    request.Headers.Add("MS-ASProtocolVersion", "16.1");
    if (policyKey is { } key)
        request.Headers.Add("X-MS-PolicyKey", key.ToString(CultureInfo.InvariantCulture));
    if (body is not null)
        request.Content = new ByteArrayContent(WbxmlEncoder.Encode(body));
    using var response = await http.SendAsync(request);
    var bytes = await response.Content.ReadAsByteArrayAsync();
    Interlocked.Add(ref wireBytes, bytes.Length);
    return bytes.Length == 0 ? null : WbxmlDecoder.TryDecode(bytes, WbxmlLimits.Default, out var root, out var error) ? root : throw new InvalidDataException(error!.ToString());
}

async Task<uint> ProvisionAsync(string device)
{
    XElement Request(uint? key) => new(provision + "Provision", new XElement(provision + "Policies", new XElement(provision + "Policy",
        new XElement(provision + "PolicyType", "MS-EAS-Provisioning-WBXML"),
        key is null ? null : new XElement(provision + "PolicyKey", key), key is null ? null : new XElement(provision + "Status", 1))));
    var first = await PostAsync(device, null, "Provision", Request(null));
    var temporary = uint.Parse(first!.Descendants(provision + "PolicyKey").First().Value, CultureInfo.InvariantCulture);
    var second = await PostAsync(device, temporary, "Provision", Request(temporary));
    return uint.Parse(second!.Descendants(provision + "PolicyKey").First().Value, CultureInfo.InvariantCulture);
}

XElement SyncRequest(string collection, string key) => new(airSync + "Sync", new XElement(airSync + "Collections", new XElement(airSync + "Collection",
    new XElement(airSync + "SyncKey", key), new XElement(airSync + "CollectionId", collection), new XElement(airSync + "WindowSize", 512))));

async Task<string> SyncToTheEndAsync(string device, uint policyKey, string collection)
{
    var key = (await PostAsync(device, policyKey, "Sync", SyncRequest(collection, "0")))!.Descendants(airSync + "SyncKey").First().Value;
    var items = 0;
    while (true)
    {
        var answer = await PostAsync(device, policyKey, "Sync", SyncRequest(collection, key));
        if (answer is null)
            return key;
        items += answer.Descendants(airSync + "Add").Count();
        key = answer.Descendants(airSync + "SyncKey").First().Value;
        if (!answer.Descendants(airSync + "MoreAvailable").Any())
            return key;
    }
}

// --- a folder of N messages: a few hundred distinct ones appended, then copied into itself until there are N.
using var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
await imap.ConnectAsync("127.0.0.1", imapsPort, SecureSocketOptions.SslOnConnect);
await imap.AuthenticateAsync(user, password);
var bench = (await imap.GetFolder(imap.PersonalNamespaces[0]).CreateAsync("Bench", true))!;
var pingFolder = (await imap.GetFolder(imap.PersonalNamespaces[0]).CreateAsync("PingBench", true))!;
await bench.OpenAsync(FolderAccess.ReadWrite);
var distinct = messages;
while (distinct % 2 == 0 && distinct > 1000)
    distinct /= 2;
for (var i = 0; i < distinct; i++)
    await bench.AppendAsync(new MimeMessage([MailboxAddress.Parse("sender@example.test")], [MailboxAddress.Parse(user)], $"bench message {i}",
        new TextPart("plain") { Text = string.Concat(Enumerable.Repeat($"Line {i} of a benchmark message body.\r\n", 40)) }));
while (bench.Count < messages)
    await bench.CopyToAsync(await bench.SearchAsync(MailKit.Search.SearchQuery.All), bench);
Report("eas.folder_messages", bench.Count, "messages");

// --- initial sync of the folder by one phone
var phoneKey = await ProvisionAsync("benchphone");
var hierarchy = await PostAsync("benchphone", phoneKey, "FolderSync", new XElement(folders + "FolderSync", new XElement(folders + "SyncKey", "0")));
string FolderId(string name) => hierarchy!.Descendants(folders + "Add").First(a => a.Element(folders + "DisplayName")!.Value == name).Element(folders + "ServerId")!.Value;
var benchId = FolderId("Bench");
var pingId = FolderId("PingBench");
wireBytes = 0;
var clock = Stopwatch.StartNew();
var syncKey = (await PostAsync("benchphone", phoneKey, "Sync", SyncRequest(benchId, "0")))!.Descendants(airSync + "SyncKey").First().Value;
var synced = 0;
while (true)
{
    var answer = await PostAsync("benchphone", phoneKey, "Sync", SyncRequest(benchId, syncKey));
    synced += answer?.Descendants(airSync + "Add").Count() ?? 0;
    if (answer is null || !answer.Descendants(airSync + "MoreAvailable").Any())
        break;
    syncKey = answer.Descendants(airSync + "SyncKey").First().Value;
}
clock.Stop();
Report("eas.initial_sync_items", synced, "items");
Report("eas.initial_sync", synced / clock.Elapsed.TotalSeconds, "items/s");
Report("eas.initial_sync_wire", wireBytes / 1048576.0, "MiB");
Report("eas.initial_sync_wire_per_item", wireBytes / (double)Math.Max(1, synced), "bytes");

// --- N devices, each synced to the end of PingBench, each leaving one Ping waiting
var rssBefore = Rss(pid);
var devices = new string[pings];
var keys = new uint[pings];
await Parallel.ForEachAsync(Enumerable.Range(0, pings), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
{
    devices[i] = $"benchping{i:D5}";
    keys[i] = await ProvisionAsync(devices[i]);
    await SyncToTheEndAsync(devices[i], keys[i], pingId);
});
var pingRequest = new XElement(ping + "Ping", new XElement(ping + "HeartbeatInterval", 3540),
    new XElement(ping + "Folders", new XElement(ping + "Folder", new XElement(ping + "Id", pingId), new XElement(ping + "Class", "Email"))));
var answeredAt = new double[pings];
var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
var clockAll = Stopwatch.StartNew();
// Phones do not all connect in the same millisecond: the Pings are opened in waves of 50, 100 ms apart.
var held = new List<Task<string?>>();
foreach (var wave in Enumerable.Range(0, pings).Chunk(50))
{
    held.AddRange(wave.Select(async i =>
    {
        try
        {
            var answer = await PostAsync(devices[i], keys[i], "Ping", pingRequest);
            answeredAt[i] = clockAll.Elapsed.TotalMilliseconds;
            return answer?.Element(ping + "Status")?.Value;
        }
        catch (HttpRequestException e)
        {
            answeredAt[i] = double.NaN;
            failures.Add($"{clockAll.Elapsed.TotalSeconds:0.0} s: {e.Message} {e.InnerException?.Message}");
            return "failed";
        }
    }));
    await Task.Delay(TimeSpan.FromMilliseconds(100));
}
await Task.Delay(TimeSpan.FromSeconds(5));
var early = held.Count(t => t.IsCompleted);
Report("eas.pings_held", pings - early, "pings");
var rss = Rss(pid);
Report("eas.rss_with_pings", rss / 1024.0, "MiB");
Report("eas.rss_per_ping", (rss - rssBefore) / (double)Math.Max(1, pings), "KiB");

// --- one change (an IMAP APPEND) answers every held Ping: latency from the APPEND's start to each answer
await pingFolder.OpenAsync(FolderAccess.ReadWrite);
var changeAt = clockAll.Elapsed.TotalMilliseconds;
await pingFolder.AppendAsync(new MimeMessage([MailboxAddress.Parse("sender@example.test")], [MailboxAddress.Parse(user)], "wake up",
    new TextPart("plain") { Text = "x" }));
Report("eas.change_append", clockAll.Elapsed.TotalMilliseconds - changeAt, "ms");
var statuses = await Task.WhenAll(held);
Report("eas.pings_failed", statuses.Count(s => s == "failed"), "pings");
foreach (var failure in failures.Order().Take(5))
    Console.Error.WriteLine("# Ping failed at " + failure);
var latencies = answeredAt.Where(t => !double.IsNaN(t)).Select(t => t - changeAt).Order().ToArray();
Report("eas.pings_answered_with_changes", statuses.Count(s => s == "2"), "pings");
Report("eas.change_to_ping_answer_p50", latencies[latencies.Length / 2], "ms");
Report("eas.change_to_ping_answer_p99", latencies[(int)Math.Min(latencies.Length - 1, Math.Ceiling(latencies.Length * 0.99) - 1)], "ms");

// The server process's resident set, in KiB (from /proc).
static long Rss(int pid)
{
    var status = File.ReadAllLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return status is null ? 0 : long.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
