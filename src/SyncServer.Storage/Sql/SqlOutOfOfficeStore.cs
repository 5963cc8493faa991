using Dapper;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Sql;

/// <summary>Out-of-office settings (schema 0010): one row per account, one per audience's message.</summary>
internal sealed class SqlOutOfOfficeStore(ISqlDialect dialect) : IOutOfOfficeStore
{
    public Task<OutOfOffice> GetAsync(AccountId account, CancellationToken cancellationToken)
        => dialect.ReadAsync(async c =>
        {
            var key = new { account = account.Value };
            var row = await c.QuerySingleOrDefaultAsync<SettingRow>(
                "SELECT state AS State, start_at AS StartAt, end_at AS EndAt FROM out_of_office WHERE account_id = @account", key);
            if (row is null)
                return OutOfOffice.Off;
            var messages = (await c.QueryAsync<MessageRow>("""
                SELECT audience AS Audience, enabled AS Enabled, message AS Message, is_html AS IsHtml
                FROM out_of_office_messages WHERE account_id = @account ORDER BY audience
                """, key)).Select(m => new OutOfOfficeMessage((OutOfOfficeAudience)m.Audience, m.Enabled, m.Message, m.IsHtml)).ToList();
            return new OutOfOffice((OutOfOfficeState)row.State, SqlValues.Time(row.StartAt), SqlValues.Time(row.EndAt), messages);
        }, cancellationToken);

    public Task SetAsync(AccountId account, OutOfOffice setting, CancellationToken cancellationToken)
        => dialect.WriteAsync(async (c, t) =>
        {
            var key = new { account = account.Value };
            await c.ExecuteAsync("DELETE FROM out_of_office_messages WHERE account_id = @account", key, t);
            await c.ExecuteAsync("DELETE FROM out_of_office WHERE account_id = @account", key, t);
            await c.ExecuteAsync("INSERT INTO out_of_office (account_id, state, start_at, end_at) VALUES (@account, @state, @start, @end)",
                new { key.account, state = (long)setting.State, start = SqlValues.Ms(setting.Start), end = SqlValues.Ms(setting.End) }, t);
            foreach (var message in setting.Messages.DistinctBy(m => m.Audience))
                await c.ExecuteAsync("""
                    INSERT INTO out_of_office_messages (account_id, audience, enabled, message, is_html)
                    VALUES (@account, @audience, @enabled, @message, @isHtml)
                    """, new { key.account, audience = (long)message.Audience, enabled = message.Enabled, message = message.Text, isHtml = message.IsHtml }, t);
            return true;
        }, cancellationToken);

    private sealed class SettingRow
    {
        public long State { get; set; }
        public long? StartAt { get; set; }
        public long? EndAt { get; set; }
    }

    private sealed class MessageRow
    {
        public long Audience { get; set; }
        public bool Enabled { get; set; }
        public string Message { get; set; } = "";
        public bool IsHtml { get; set; }
    }
}
