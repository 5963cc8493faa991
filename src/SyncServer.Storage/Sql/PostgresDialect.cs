using System.Data.Common;
using Npgsql;

namespace SyncServer.Storage.Sql;

internal sealed class PostgresDialect(NpgsqlDataSource dataSource) : ISqlDialect
{
    // An arbitrary application-wide key for pg_advisory_xact_lock ("SySe").
    private const long MigrationLockKey = 0x53795365;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public string SchemaFolder => "postgres";

    public string MigrationLockSql => $"SELECT pg_advisory_xact_lock({MigrationLockKey})";

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        => await DataSource.OpenConnectionAsync(cancellationToken);

    // READ COMMITTED is enough: writers of one account are serialised by the lock on their accounts row.
    public async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
        => await connection.BeginTransactionAsync(cancellationToken);

    public bool IsUniqueViolation(Exception exception)
        => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public string InList(string column, string parameter) => $"{column} = ANY({parameter})";

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
