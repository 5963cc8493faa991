using System.Globalization;
using Npgsql;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;

namespace SyncServer.Storage.Notifications;

/// <summary>
/// Local delivery plus PostgreSQL NOTIFY for other processes sharing the database. Publishing happens after the
/// store's commit (not inside its transaction) so the write path stays the same on both engines; the price is that
/// a crash between commit and NOTIFY loses one wake-up, which sessions' heartbeats recover from.
/// One dedicated LISTEN connection per process, re-opened after a failure; notifications of this process's
/// own origin are skipped there because they were delivered locally already.
/// Payload: <c>origin|account|collection-or-empty|modseq</c>.
/// </summary>
internal sealed class PostgresChangeNotifier : IChangeNotifier, IAsyncDisposable
{
    private const string Channel = "syncserver_changes";
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly InProcessChangeNotifier _local = new();
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _listenConnectionString;
    private readonly TimeProvider _time;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _listener;

    private PostgresChangeNotifier(NpgsqlDataSource dataSource, string connectionString, TimeProvider time)
    {
        _dataSource = dataSource;
        _time = time;
        // Outside the pool: a pooled connection is reset (DISCARD ALL, so UNLISTEN) when returned.
        // (From the caller's string: the data source's own ConnectionString omits the password.)
        _listenConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        _listener = Task.Run(ListenLoopAsync);
    }

    /// <summary>Starts listening and returns once the first LISTEN is in place, so no later commit is missed.</summary>
    public static async Task<PostgresChangeNotifier> StartAsync(NpgsqlDataSource dataSource, string connectionString, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var notifier = new PostgresChangeNotifier(dataSource, connectionString, time);
        await notifier._listening.Task.WaitAsync(cancellationToken);
        return notifier;
    }

    public IChangeSubscription Subscribe(AccountId account) => _local.Subscribe(account);

    public async ValueTask PublishAsync(ChangeNotification notification, CancellationToken cancellationToken)
    {
        await _local.PublishAsync(notification, cancellationToken);
        var payload = string.Join('|', _origin, notification.Account, notification.Collection?.ToString() ?? "", notification.ModSeq);
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT pg_notify(@channel, @payload)");
            command.Parameters.AddWithValue("channel", Channel);
            command.Parameters.AddWithValue("payload", payload);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException)
        {
            // The change is committed; only other processes' wake-up is lost (see the class comment).
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listener.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task ListenLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenConnectionString);
                await connection.OpenAsync(_stop.Token);
                connection.Notification += (_, e) => Dispatch(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(_stop.Token);
                _listening.TrySetResult();
                while (true)
                    await connection.WaitAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Server restart or network failure: listen again after a pause.
                await Task.Delay(ReconnectDelay, _time, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void Dispatch(string payload)
    {
        var parts = payload.Split('|');
        if (parts.Length != 4 || parts[0] == _origin)
            return;
        var notification = new ChangeNotification(
            new AccountId(long.Parse(parts[1], CultureInfo.InvariantCulture)),
            parts[2].Length == 0 ? null : new CollectionId(long.Parse(parts[2], CultureInfo.InvariantCulture)),
            new ModSeq(long.Parse(parts[3], CultureInfo.InvariantCulture)));
        _ = _local.PublishAsync(notification, CancellationToken.None);
    }
}
