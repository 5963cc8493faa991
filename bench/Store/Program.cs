// The store benchmark: prints one "name value unit" line per figure, for SQLite and (when given) PostgreSQL.
//   dotnet run -c Release --project bench/Store -- [--postgres CONNECTION-STRING] [--items N]
// bench/store.sh starts a throwaway PostgreSQL and runs this with it.
using System.Globalization;
using SyncServer.Bench.Store;
using SyncServer.Storage;

string? postgres = null;
var items = 5000;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--postgres") postgres = args[++i];
    else if (args[i] == "--items") items = int.Parse(args[++i], CultureInfo.InvariantCulture);
}

var workDir = Directory.CreateTempSubdirectory("syncserver-bench-");
try
{
    var runs = new List<(string Name, StorageOptions Options)>
    {
        ("sqlite", new StorageOptions { Provider = StorageProvider.Sqlite, DataDirectory = Path.Combine(workDir.FullName, "sqlite") }),
    };
    if (postgres is not null)
        runs.Add(("postgres", new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = postgres, DataDirectory = Path.Combine(workDir.FullName, "postgres") }));

    foreach (var (name, options) in runs)
    {
        await using var store = await StoreHost.OpenAsync(options, TimeProvider.System, CancellationToken.None);
        var bench = new StoreBenchmarks(store, items);
        Report($"{name}.items_inserted_one_account", await bench.InsertOneAccountAsync(), "items/s");
        Report($"{name}.items_inserted_8_accounts", await bench.InsertEightAccountsAsync(), "items/s");
        Report($"{name}.get_changes_100k_collection_10_changes", await bench.GetChangesLatencyAsync(100_000), "ms");
        Report($"{name}.blob_writes_fsynced", await bench.BlobWritesAsync(1000), "blobs/s");
    }
}
finally
{
    workDir.Delete(recursive: true);
}

static void Report(string name, double value, string unit) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value:0.###} {unit}"));
