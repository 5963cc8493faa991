using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace SyncServer.Storage.Sql;

internal sealed class SqliteDialect : ISqlDialect
{
    private const int SqliteConstraint = 19;
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;

    private SqliteDialect(string connectionString) => _connectionString = connectionString;

    public string SchemaFolder => "sqlite";

    // BEGIN IMMEDIATE already excludes every other writer.
    public string MigrationLockSql => "";

    /// <summary>Opens (creating when new) the database file and switches it to WAL, which is persistent in the file.</summary>
    public static async Task<SqliteDialect> CreateAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Microsoft.Data.Sqlite retries a busy BEGIN for this long on its own, whatever busy_timeout says.
            DefaultTimeout = (int)LockWait.TotalSeconds,
        };
        var dialect = new SqliteDialect(builder.ToString());
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL");
        return dialect;
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // Per-connection settings. synchronous=FULL: in WAL mode NORMAL may lose the last commits on power
        // loss, and accepted mail must be durable once we answered 250.
        await connection.ExecuteAsync(
            $"PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA busy_timeout={(int)LockWait.TotalMilliseconds};");
        return connection;
    }

    public ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
        => ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public bool IsUniqueViolation(Exception exception)
        => exception is SqliteException { SqliteErrorCode: SqliteConstraint };

    public string InList(string column, string parameter) => $"{column} IN {parameter}";

    // Pooled SQLite connections keep the file open; clearing the pool lets the caller delete or reopen it.
    public ValueTask DisposeAsync()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
