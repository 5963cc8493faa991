using System.Globalization;
using System.Reflection;
using Dapper;

namespace SyncServer.Storage.Sql;

/// <summary>
/// Applies the embedded <c>Schema/{dialect}/NNNN_name.sql</c> files not yet recorded in <c>schema_version</c>,
/// in number order, in one transaction.
/// </summary>
internal static class SchemaMigrator
{
    public static async Task ApplyAsync(ISqlDialect dialect, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
        if (dialect.MigrationLockSql.Length > 0)
            await connection.ExecuteAsync(dialect.MigrationLockSql, transaction: transaction);
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
            transaction: transaction);
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_version", transaction: transaction)).ToHashSet();

        foreach (var (version, sql) in Scripts(dialect.SchemaFolder).Where(s => !applied.Contains(s.Version)))
        {
            await connection.ExecuteAsync(sql, transaction: transaction);
            await connection.ExecuteAsync(
                "INSERT INTO schema_version (version, applied_at) VALUES (@version, @now)",
                new { version, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static IEnumerable<(long Version, string Sql)> Scripts(string folder)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"{assembly.GetName().Name}.Schema.{folder}.";
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => (Version: long.Parse(name[prefix.Length..].Split('_')[0], CultureInfo.InvariantCulture), Sql: Read(assembly, name)))
            .OrderBy(s => s.Version);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
