using Dapper;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Sql;

/// <summary>ActiveSync devices and sync states (schema 0009). Each call is its own short transaction.</summary>
internal sealed class SqlDeviceStore(ISqlDialect dialect, TimeProvider time) : IDeviceStore
{
    private const string DeviceColumns = """
        account_id AS AccountId, device_id AS DeviceId, device_type AS DeviceType, user_agent AS UserAgent,
        protocol_version AS ProtocolVersion, model AS Model, friendly_name AS FriendlyName, operating_system AS OperatingSystem,
        phone_number AS PhoneNumber, first_seen AS FirstSeen, last_seen AS LastSeen, policy_key AS PolicyKey,
        pending_policy_key AS PendingPolicyKey, wipe AS Wipe, wipe_acknowledged_at AS WipeAcknowledgedAt
        """;

    public Task<Device> RecordRequestAsync(AccountId account, string deviceId, string deviceType, string? userAgent, string? protocolVersion,
        CancellationToken cancellationToken)
        => dialect.WriteAsync(async (c, t) => (await c.QuerySingleAsync<DeviceRow>($"""
            INSERT INTO devices (account_id, device_id, device_type, user_agent, protocol_version, first_seen, last_seen)
            VALUES (@account, @deviceId, @deviceType, @userAgent, @protocolVersion, @now, @now)
            ON CONFLICT (account_id, device_id) DO UPDATE SET
                device_type = excluded.device_type, last_seen = excluded.last_seen,
                user_agent = COALESCE(excluded.user_agent, devices.user_agent),
                protocol_version = COALESCE(excluded.protocol_version, devices.protocol_version)
            RETURNING {DeviceColumns}
            """, new { account = account.Value, deviceId, deviceType, userAgent, protocolVersion, now = Now() }, t)).ToDevice(),
            cancellationToken);

    public Task<Device?> GetDeviceAsync(AccountId account, string deviceId, CancellationToken cancellationToken)
        => dialect.ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<DeviceRow>(
            $"SELECT {DeviceColumns} FROM devices WHERE account_id = @account AND device_id = @deviceId",
            new { account = account.Value, deviceId }))?.ToDevice(), cancellationToken);

    public Task<IReadOnlyList<Device>> ListDevicesAsync(AccountId? account, CancellationToken cancellationToken)
        => dialect.ReadAsync<IReadOnlyList<Device>>(async c => (await c.QueryAsync<DeviceRow>(
            $"SELECT {DeviceColumns} FROM devices WHERE @account IS NULL OR account_id = @account ORDER BY account_id, device_id",
            new { account = account?.Value })).Select(r => r.ToDevice()).ToList(), cancellationToken);

    public Task SetInformationAsync(AccountId account, string deviceId, DeviceInformation information, CancellationToken cancellationToken)
        => UpdateAsync("""
            model = COALESCE(@Model, model), friendly_name = COALESCE(@FriendlyName, friendly_name),
            operating_system = COALESCE(@OperatingSystem, operating_system), phone_number = COALESCE(@PhoneNumber, phone_number)
            """, account, deviceId, information, cancellationToken);

    public Task SetPolicyKeysAsync(AccountId account, string deviceId, uint policyKey, uint pendingPolicyKey, CancellationToken cancellationToken)
        => UpdateAsync("policy_key = @policyKey, pending_policy_key = @pendingPolicyKey", account, deviceId,
            new { policyKey = (long)policyKey, pendingPolicyKey = (long)pendingPolicyKey }, cancellationToken);

    public Task<bool> SetWipeAsync(AccountId account, string deviceId, WipeState wipe, CancellationToken cancellationToken)
        => UpdateAsync("wipe = @wipe, wipe_acknowledged_at = @acknowledged", account, deviceId,
            new { wipe = (long)wipe, acknowledged = wipe == WipeState.Wiped ? Now() : (long?)null }, cancellationToken);

    public Task<bool> RemoveDeviceAsync(AccountId account, string deviceId, CancellationToken cancellationToken)
        => dialect.WriteAsync(async (c, t) => await c.ExecuteAsync(
            "DELETE FROM devices WHERE account_id = @account AND device_id = @deviceId", new { account = account.Value, deviceId }, t) > 0,
            cancellationToken);

    public Task<SyncState?> GetSyncStateAsync(AccountId account, string deviceId, string collection, CancellationToken cancellationToken)
        => dialect.ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<(long SyncKey, long ModSeq, long PreviousModSeq, string? Data)?>("""
            SELECT sync_key, modseq, previous_modseq, data FROM sync_states
            WHERE account_id = @account AND device_id = @deviceId AND collection = @collection
            """, new { account = account.Value, deviceId, collection })) is { } s
            ? new SyncState(account, deviceId, collection, s.SyncKey, new ModSeq(s.ModSeq), new ModSeq(s.PreviousModSeq), s.Data)
            : null, cancellationToken);

    public Task SaveSyncStateAsync(SyncState state, CancellationToken cancellationToken)
        => dialect.WriteAsync((c, t) => c.ExecuteAsync(SaveSyncStateSql, SyncStateParameters(state), t), cancellationToken);

    /// <summary>The upsert of a sync state, shared with <see cref="StoreTransaction.SaveSyncStateAsync"/>.</summary>
    internal const string SaveSyncStateSql = """
        INSERT INTO sync_states (account_id, device_id, collection, sync_key, modseq, previous_modseq, data)
        VALUES (@account, @deviceId, @collection, @syncKey, @modSeq, @previousModSeq, @data)
        ON CONFLICT (account_id, device_id, collection) DO UPDATE SET
            sync_key = excluded.sync_key, modseq = excluded.modseq, previous_modseq = excluded.previous_modseq, data = excluded.data
        """;

    internal static object SyncStateParameters(SyncState state) => new
    {
        account = state.Account.Value, deviceId = state.DeviceId, collection = state.Collection, syncKey = state.SyncKey,
        modSeq = state.ModSeq.Value, previousModSeq = state.PreviousModSeq.Value, data = state.Data,
    };

    private Task<bool> UpdateAsync(string assignments, AccountId account, string deviceId, object values, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(values);
        parameters.Add("account", account.Value);
        parameters.Add("deviceId", deviceId);
        return dialect.WriteAsync(async (c, t) => await c.ExecuteAsync(
            $"UPDATE devices SET {assignments} WHERE account_id = @account AND device_id = @deviceId", parameters, t) > 0, cancellationToken);
    }

    private long Now() => SqlValues.Ms(time.GetUtcNow());

    private sealed class DeviceRow
    {
        public long AccountId { get; set; }
        public string DeviceId { get; set; } = "";
        public string DeviceType { get; set; } = "";
        public string? UserAgent { get; set; }
        public string? ProtocolVersion { get; set; }
        public string? Model { get; set; }
        public string? FriendlyName { get; set; }
        public string? OperatingSystem { get; set; }
        public string? PhoneNumber { get; set; }
        public long FirstSeen { get; set; }
        public long LastSeen { get; set; }
        public long PolicyKey { get; set; }
        public long PendingPolicyKey { get; set; }
        public long Wipe { get; set; }
        public long? WipeAcknowledgedAt { get; set; }

        public Device ToDevice() => new(new AccountId(AccountId), DeviceId, DeviceType, UserAgent, ProtocolVersion,
            new DeviceInformation(Model, FriendlyName, OperatingSystem, PhoneNumber), SqlValues.Time(FirstSeen), SqlValues.Time(LastSeen),
            (uint)PolicyKey, (uint)PendingPolicyKey, (WipeState)Wipe, SqlValues.Time(WipeAcknowledgedAt));
    }
}
