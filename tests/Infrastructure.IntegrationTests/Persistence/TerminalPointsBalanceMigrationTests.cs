using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Moq;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// A generation that ended before the balance after settling had a column of its own kept its whole terminal event as
/// JSON. Across the real migration, such a row still replays, answering exactly the event that was stored.
/// </summary>
[TestFixture]
public sealed class TerminalPointsBalanceMigrationTests
{
    /// <summary>The last migration before the column (the SQLite set; the SQL Server set has its own twin).</summary>
    private const string MigrationBeforeTheColumn = "20261204223016_AiSdkChatIds";

    [Test]
    public async Task RowWrittenBeforeTheBalanceColumn_AfterMigrating_ReplaysItsStoredTerminalEvent()
    {
        await using var database = await SqliteTestDatabase.CreateAsync();
        var now = DateTime.UtcNow;
        var user = await database.SeedUserAsync(30);
        var start = GenerationScenario.NewThread(user.Id, 10, now);
        await database.WithAsync<IGenerationRepository, GenerationStartResult>(r => r.StartAsync(start, CancellationToken.None));
        await database.WithAsync<IGenerationRepository, int?>(r =>
            r.SettleAsync(GenerationScenario.Settle(start, 4, now).Settlement, null, CancellationToken.None));
        var storedBefore = new CompleteEvent("The answer is 84.", 400, 4, 399, 1, 26, FinishReasons.Stop, false, new DateTimeOffset(now));

        // The schema as it was, and the row as the code of that time wrote it: the whole event, balance included.
        await database.QueryAsync(async db =>
        {
            await db.GetService<IMigrator>().MigrateAsync(MigrationBeforeTheColumn);
            return await db.Database.ExecuteSqlAsync(
                $"UPDATE Generations SET TerminalSequence = {6L}, TerminalEventJson = {StoredEventCodec.Serialize(storedBefore)} WHERE Id = {start.Generation.Id}");
        });
        await database.QueryAsync(async db =>
        {
            await db.Database.MigrateAsync();
            return 0;
        });

        var generation = await database.WithAsync<IGenerationRepository, StudyGuru.Domain.Generations.Generation?>(r =>
            r.FindOwnedAsync(start.Generation.Id, user.Id, CancellationToken.None));
        Assert.That(generation!.TerminalPointsBalance, Is.Null);
        var replayed = await database.WithAsync<IGenerationRepository, List<GenerationEvent>>(async repository =>
        {
            var events = new List<GenerationEvent>();
            await foreach (var item in await Replay(repository).OpenAsync(user.Id, start.Generation.Id, 1, CancellationToken.None))
                events.Add(item);
            return events;
        });

        Assert.That(replayed.Select(e => (e.Sequence, e.Event)), Is.EqualTo(new[] { (6L, (ConversationEvent)storedBefore) }));
    }

    /// <summary>The replay of one instance whose live buffers are all gone, so that it answers from the database.</summary>
    private static GenerationReplay Replay(IGenerationRepository repository)
    {
        var buffers = new Mock<IGenerationBufferStore>();
        buffers.Setup(b => b.FindAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync((IGenerationBuffer?)null);
        return new GenerationReplay(buffers.Object, repository,
            new GenerationReader(new RunningGenerations(), Mock.Of<IGenerationSignals>(), new ShutdownSignal()));
    }
}
