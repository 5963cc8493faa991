using System.Data.Common;
using SyncServer.Core.Store;

namespace SyncServer.Storage.Sql;

/// <summary>One read or one write transaction on a fresh pooled connection: what the directory and queue stores do per call.</summary>
internal static class SqlDialectExtensions
{
    public static async Task<T> ReadAsync<T>(this ISqlDialect dialect, Func<DbConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await read(connection);
    }

    /// <summary>Runs <paramref name="write"/> in a write transaction and commits; a unique violation becomes <see cref="StoreConflictException"/>.</summary>
    public static async Task<T> WriteAsync<T>(this ISqlDialect dialect, Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
        T result;
        try
        {
            result = await write(connection, transaction);
        }
        catch (Exception e) when (dialect.IsUniqueViolation(e))
        {
            throw AlreadyExists(e);
        }
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public static StoreConflictException AlreadyExists(Exception uniqueViolation) =>
        new("already exists: " + uniqueViolation.Message, uniqueViolation);
}
