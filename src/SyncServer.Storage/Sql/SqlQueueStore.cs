using System.Data.Common;
using Dapper;
using SyncServer.Core.Delivery;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Sql;

/// <summary>The outbound queue tables (schema 0003). Each call is its own short transaction.</summary>
internal sealed class SqlQueueStore(ISqlDialect dialect, TimeProvider time) : IOutboundQueueStore
{
    // A recipient that still needs work: queued, or failed and not yet reported to the sender.
    private const string Unfinished = "(r.state = 0 OR (r.state = 2 AND r.failure_reported = @no))";

    public Task<QueuedMessageId> EnqueueAsync(RelayMessage message, CancellationToken cancellationToken) => WriteAsync(async (c, t) =>
    {
        var now = SqlValues.Ms(time.GetUtcNow());
        var id = await c.QuerySingleAsync<long>("""
            INSERT INTO queue_messages (mail_from, header_prefix, blob_id, ret_full, envelope_id, created_at)
            VALUES (@mailFrom, @headerPrefix, @blob, @retFull, @envelopeId, @now) RETURNING id
            """, new
        {
            mailFrom = message.MailFrom, headerPrefix = message.HeaderPrefix.ToArray(), blob = message.Blob.Sha256Hex,
            retFull = message.Dsn?.ReturnFullMessage, envelopeId = message.Dsn?.EnvelopeId, now,
        }, t);
        await c.ExecuteAsync("""
            INSERT INTO queue_recipients (message_id, address, notify, orcpt, state, last_error, next_attempt_at)
            VALUES (@id, @address, @notify, @orcpt, @state, @error, @now)
            """, message.Recipients.Select(r => new
        {
            id, address = r.Address, notify = NotifyBits.FromDsn(r.Dsn), orcpt = r.Dsn?.OriginalRecipient, now,
            state = (int)(r.Failure is null ? QueueState.Queued : QueueState.Failed),
            error = r.Failure is { } f ? $"{f.Code} {f.EnhancedCode} {f.Text}" : null,
        }), t);
        if (message.UnfinishedDelivery is { } delivery)
            await c.ExecuteAsync("INSERT INTO unfinished_deliveries (delivery_id, stored_at, queue_message_id) VALUES (@delivery, @now, @id)",
                new { delivery = delivery.Value, now, id }, t);
        return new QueuedMessageId(id);
    }, cancellationToken);

    public Task<IReadOnlyList<QueuedMessage>> ListAsync(CancellationToken cancellationToken)
        => ReadMessagesAsync(QueueMessageRow.Select + " ORDER BY m.id", new { }, cancellationToken);

    public async Task<QueuedMessage?> GetAsync(QueuedMessageId id, CancellationToken cancellationToken)
        => (await ReadMessagesAsync(QueueMessageRow.Select + " WHERE m.id = @id", new { id = id.Value }, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<QueuedMessage>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
        => ReadMessagesAsync(QueueMessageRow.Select + """
             WHERE EXISTS (SELECT 1 FROM queue_recipients r WHERE r.message_id = m.id AND r.state = 0 AND r.next_attempt_at <= @now)
               AND NOT EXISTS (SELECT 1 FROM unfinished_deliveries u WHERE u.queue_message_id = m.id)
            ORDER BY m.id LIMIT @limit
            """, new { now = SqlValues.Ms(now), limit }, cancellationToken);

    public Task<IReadOnlyList<QueuedMessage>> ListNoticesDueAsync(DateTimeOffset delayedSince, CancellationToken cancellationToken)
        => ReadMessagesAsync(QueueMessageRow.Select + """
             WHERE EXISTS (SELECT 1 FROM queue_recipients r WHERE r.message_id = m.id
                           AND ((r.state = 2 AND r.failure_reported = @no)
                                OR (r.state = 0 AND r.delay_warned = @no AND m.created_at <= @delayedSince)))
               AND NOT EXISTS (SELECT 1 FROM unfinished_deliveries u WHERE u.queue_message_id = m.id)
            ORDER BY m.id
            """, new { no = false, delayedSince = SqlValues.Ms(delayedSince) }, cancellationToken);

    public Task<DateTimeOffset?> GetNextAttemptAsync(CancellationToken cancellationToken)
        => ReadAsync(async c => SqlValues.Time(await c.ExecuteScalarAsync<long?>(
            """
            SELECT MIN(next_attempt_at) FROM queue_recipients r WHERE state = 0
               AND NOT EXISTS (SELECT 1 FROM unfinished_deliveries u WHERE u.queue_message_id = r.message_id)
            """)), cancellationToken);

    public Task SetOutcomeAsync(IReadOnlyList<QueuedRecipientId> recipients, RecipientOutcome outcome, CancellationToken cancellationToken)
        => WriteAsync((c, t) => c.ExecuteAsync($"""
            UPDATE queue_recipients SET state = @state, attempts = attempts + 1, last_error = @error,
                   next_attempt_at = COALESCE(@next, next_attempt_at)
            WHERE {dialect.InList("id", "@ids")}
            """, new { state = (long)outcome.State, error = outcome.Error, next = SqlValues.Ms(outcome.NextAttemptAt), ids = Ids(recipients) }, t),
            cancellationToken);

    public Task MarkNoticeSentAsync(IReadOnlyList<QueuedRecipientId> recipients, QueueNotice notice, CancellationToken cancellationToken)
    {
        var column = notice == QueueNotice.DelayWarning ? "delay_warned" : "failure_reported";
        return WriteAsync((c, t) => c.ExecuteAsync($"UPDATE queue_recipients SET {column} = @yes WHERE {dialect.InList("id", "@ids")}",
            new { yes = true, ids = Ids(recipients) }, t), cancellationToken);
    }

    public Task<int> RetryNowAsync(QueuedMessageId? message, DateTimeOffset now, CancellationToken cancellationToken)
        => WriteAsync((c, t) => c.ExecuteAsync("""
            UPDATE queue_recipients SET next_attempt_at = @now
            WHERE state = 0 AND (@all OR message_id = @message)
            """, new { now = SqlValues.Ms(now), all = message is null, message = message?.Value ?? 0 }, t), cancellationToken);

    public Task<bool> DeleteAsync(QueuedMessageId id, CancellationToken cancellationToken)
        => WriteAsync(async (c, t) => await c.ExecuteAsync("DELETE FROM queue_messages WHERE id = @id", new { id = id.Value }, t) > 0,
            cancellationToken);

    public Task<int> DeleteFinishedAsync(CancellationToken cancellationToken)
        => WriteAsync((c, t) => c.ExecuteAsync($"""
            DELETE FROM queue_messages
            WHERE NOT EXISTS (SELECT 1 FROM queue_recipients r WHERE r.message_id = queue_messages.id AND {Unfinished})
            """, new { no = false }, t), cancellationToken);

    private static long[] Ids(IReadOnlyList<QueuedRecipientId> recipients) => recipients.Select(r => r.Value).ToArray();

    private Task<IReadOnlyList<QueuedMessage>> ReadMessagesAsync(string sql, object parameters, CancellationToken cancellationToken)
        => ReadAsync<IReadOnlyList<QueuedMessage>>(async c =>
        {
            var messages = (await c.QueryAsync<QueueMessageRow>(sql, parameters)).ToList();
            var recipients = (await c.QueryAsync<QueueRecipientRow>(
                    QueueRecipientRow.Select + $" WHERE {dialect.InList("message_id", "@ids")} ORDER BY id",
                    new { ids = messages.Select(m => m.Id).ToArray() }))
                .ToLookup(r => r.MessageId, r => r.ToModel());
            return messages.Select(m => m.ToModel(recipients[m.Id].ToList())).ToList();
        }, cancellationToken);

    private Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken) =>
        dialect.ReadAsync(read, cancellationToken);

    private Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken) =>
        dialect.WriteAsync(write, cancellationToken);
}
