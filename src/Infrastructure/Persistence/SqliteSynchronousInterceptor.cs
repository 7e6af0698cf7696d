using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace StudyGuru.Infrastructure.Persistence;

/// <summary>
/// Sets <c>PRAGMA synchronous=NORMAL</c> on every SQLite connection EF opens. In WAL mode (set at start-up)
/// a commit then appends to the WAL without an fsync; the WAL is synced at checkpoints. The file cannot be
/// corrupted by a crash or a power loss, and a process crash loses nothing; a power loss can lose the last
/// commits. The default (FULL) syncs inside every write transaction, while it holds the one write lock, and
/// that sync bounded the embedded server to about 85 conversations/s (docs/performance.md).
/// The setting is per connection and is not stored in the file, hence on every open.
/// </summary>
internal sealed class SqliteSynchronousInterceptor : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    /// <summary>For connections opened outside EF (the writer's, see <see cref="SqliteWriter"/>).</summary>
    public static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
