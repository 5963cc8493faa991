using System.Data.Common;

namespace SyncServer.Storage.Sql;

/// <summary>
/// The few things SQLite and PostgreSQL do differently. Everything else is the same SQL text: both engines
/// take @name parameters, RETURNING, COALESCE expression indexes, and times as integer unix milliseconds.
/// </summary>
internal interface ISqlDialect : IAsyncDisposable
{
    /// <summary>The folder under <c>Schema/</c> holding this dialect's numbered schema files.</summary>
    string SchemaFolder { get; }

    /// <summary>SQL run first in the migration transaction so that two processes never migrate at once ("" when the transaction already excludes them).</summary>
    string MigrationLockSql { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a write transaction that takes the write lock up front (SQLite cannot upgrade a read lock while another writer waits).</summary>
    ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    bool IsUniqueViolation(Exception exception);

    /// <summary>
    /// "<paramref name="column"/> is one of the list <paramref name="parameter"/>": Dapper expands <c>IN @list</c>
    /// on SQLite but sends one array to Npgsql, where that must be <c>= ANY(@list)</c>.
    /// </summary>
    string InList(string column, string parameter);
}
