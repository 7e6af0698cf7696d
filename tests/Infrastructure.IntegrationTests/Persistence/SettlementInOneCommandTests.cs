using Microsoft.EntityFrameworkCore;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;
using StudyGuru.Infrastructure.Persistence;
using StudyGuru.Infrastructure.Persistence.Repositories;

namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// The start's and the settlement's rows are written as plain parameterized commands (not through the change
/// tracker), and the owner's terminal event is kept in the settlement's own transaction: what EF reads back must be
/// exactly what the domain objects said.
/// </summary>
[TestFixture]
public sealed class SettlementInOneCommandTests
{
    private SqliteTestDatabase _database = null!;
    private DateTime _now;

    [SetUp]
    public async Task SetUp()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        _now = DateTime.UtcNow;
    }

    [TearDown]
    public async Task TearDown() => await _database.DisposeAsync();

    [Test]
    public async Task SettleAsync_WithTheTerminalEvent_KeepsItsDataAndTheSettledBalanceInTheSameTransaction()
    {
        var user = await _database.SeedUserAsync(30);
        var start = GenerationScenario.NewThread(user.Id, 10, _now);
        await _database.WithAsync<IGenerationRepository, GenerationStartResult>(r => r.StartAsync(start, CancellationToken.None));
        var settlement = GenerationScenario.Settle(start, 4, _now.AddSeconds(2), ("Title", "Help with title"));
        var outcome = new TerminalOutcome.Answered("The answer is 84.", 399, 1, 4, FinishReasons.Stop, false, _now.AddSeconds(2));
        var outcomeJson = StoredEventCodec.Serialize(outcome);

        var balance = await _database.WithAsync<IGenerationRepository, int?>(r => r.SettleAsync(settlement.Settlement, settlement.FallbackTitles,
            new TerminalEventRecord(23, outcomeJson), CancellationToken.None));

        var (generation, interaction, ledger) = await _database.QueryAsync(async db => (
            await db.Generations.AsNoTracking().SingleAsync(g => g.Id == start.Generation.Id),
            await db.Interactions.AsNoTracking().SingleAsync(i => i.Id == start.InteractionId),
            await db.PointsLedger.AsNoTracking().Where(e => e.UserId == user.Id && e.Type == PointsTransactionType.Used).ToListAsync()));
        Assert.Multiple(() =>
        {
            Assert.That(balance, Is.EqualTo(26));
            Assert.That(generation.HasEnded, Is.True);
            Assert.That(generation.EndedAt, Is.EqualTo(_now.AddSeconds(2)).Within(TimeSpan.FromMilliseconds(1)));
            Assert.That(generation.EndedAt!.Value.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(generation.TerminalSequence, Is.EqualTo(23));
            Assert.That(generation.TerminalEventJson, Is.EqualTo(outcomeJson), "the owner's data, as given");
            Assert.That(generation.TerminalPointsBalance, Is.EqualTo(26), "the balance the settlement's own update returned");
            Assert.That(TerminalEvents.FromStored(generation.TerminalEventJson!, generation.TerminalPointsBalance), Is.EqualTo(outcome.ToEvent(26)));
            Assert.That(interaction.ActiveGenerationId, Is.Null);
            Assert.That(interaction.Title, Is.EqualTo("Title"));
            Assert.That(interaction.SummaryTitle, Is.EqualTo("Help with title"));
            Assert.That(ledger.Select(e => (e.Points, e.Description, e.InteractionId)),
                Is.EqualTo(new[] { (4, "Answer in conversation", (Guid?)start.InteractionId) }));
        });
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task SettleAsync_WithTheTerminalEvent_WhenNotHeldAnyMore_KeepsNothingAndChangesNothing()
    {
        var user = await _database.SeedUserAsync(30);
        var start = GenerationScenario.NewThread(user.Id, 10, _now);
        await _database.WithAsync<IGenerationRepository, GenerationStartResult>(r => r.StartAsync(start, CancellationToken.None));
        await _database.WithAsync<IGenerationRepository, int?>(r => r.SettleAsync(GenerationScenario.Settle(start, 0, _now, leaseExpired: true), CancellationToken.None));
        var ownersOutcome = StoredEventCodec.Serialize(new TerminalOutcome.Answered("late", 10, 1, 4, FinishReasons.Stop, false, _now));

        var balance = await _database.WithAsync<IGenerationRepository, int?>(r => r.SettleAsync(GenerationScenario.Settle(start, 4, _now).Settlement, null,
            new TerminalEventRecord(9, ownersOutcome), CancellationToken.None));

        var generation = await _database.QueryAsync(db => db.Generations.AsNoTracking().SingleAsync(g => g.Id == start.Generation.Id));
        Assert.Multiple(() =>
        {
            Assert.That(balance, Is.Null);
            Assert.That(generation.TerminalSequence, Is.EqualTo(7), "the sweep's terminal event stays");
            Assert.That(generation.TerminalEventJson, Is.Not.EqualTo(ownersOutcome));
        });
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task StartAsync_RowsWrittenAsCommands_ReadBackAsTheDomainObjects()
    {
        var user = await _database.SeedUserAsync(30);
        var image = await _database.SeedAsync(MediaFileFor(user.Id));
        var start = GenerationScenario.NewThread(user.Id, 10, _now, "Look at this", idempotencyKey: "key-1", media: [(image.Id, "image/png")]);

        await _database.WithAsync<IGenerationRepository, GenerationStartResult>(r => r.StartAsync(start, CancellationToken.None));

        var (interaction, question, generation, reservation) = await _database.QueryAsync(async db => (
            await db.Interactions.AsNoTracking().SingleAsync(i => i.Id == start.InteractionId),
            await db.Messages.AsNoTracking().Include(m => m.Media).SingleAsync(m => m.Id == start.UserMessage!.Id),
            await db.Generations.AsNoTracking().SingleAsync(g => g.Id == start.Generation.Id),
            await db.PointsReservations.AsNoTracking().SingleAsync(r => r.Id == start.Generation.Id)));
        Assert.Multiple(() =>
        {
            Assert.That(interaction.UserId, Is.EqualTo(user.Id));
            Assert.That(interaction.ActiveGenerationId, Is.EqualTo(start.Generation.Id));
            Assert.That(interaction.CreatedAt, Is.EqualTo(_now).Within(TimeSpan.FromMilliseconds(1)));
            Assert.That(interaction.CreatedAt.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(question.Role, Is.EqualTo(MessageRole.User));
            Assert.That(question.Status, Is.EqualTo(MessageStatus.Completed));
            Assert.That(question.Content, Is.EqualTo("Look at this"));
            Assert.That(question.GenerationId, Is.Null);
            Assert.That(question.Media.Select(m => (m.MediaId, m.FileType, m.Removed)), Is.EqualTo(new[] { (image.Id, "image/png", false) }));
            Assert.That(generation.Format, Is.EqualTo(GenerationFormat.Conversation));
            Assert.That(generation.IdempotencyKey, Is.EqualTo("key-1"));
            Assert.That(generation.RequestHash, Is.EqualTo("hash"));
            Assert.That(generation.FirstEventJson, Is.EqualTo(GenerationScenario.FirstEventJson));
            Assert.That(generation.HasEnded, Is.False);
            Assert.That(generation.TerminalSequence, Is.Null);
            Assert.That(reservation.Status, Is.EqualTo(ReservationStatus.Held));
            Assert.That(reservation.Amount, Is.EqualTo(10));
            Assert.That(reservation.LeaseExpiresAt, Is.EqualTo(_now + GenerationScenario.Lease).Within(TimeSpan.FromMilliseconds(1)));
        });
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task StartAsync_NewThreadUnderAChatIdAlreadyTaken_IsAConflictAndLeavesTheBalance()
    {
        var user = await _database.SeedUserAsync(30);
        var first = GenerationScenario.NewThread(user.Id, 10, _now);
        var taken = Interaction.Start(user.Id, _now, "chat-1");
        await _database.SeedAsync(taken);
        var again = Interaction.Start(user.Id, _now, "chat-1");
        var start = first with
        {
            NewInteraction = again,
            InteractionId = again.Id,
            UserMessage = Message.FromUser(again.Id, "Hi", [], _now),
            Generation = Generation.Begin(Guid.CreateVersion7(), user.Id, again.Id, Guid.CreateVersion7(), GenerationFormat.Conversation,
                100, 10, null, null, _now),
        };

        Assert.That(async () => await _database.WithAsync<IGenerationRepository, GenerationStartResult>(r => r.StartAsync(start, CancellationToken.None)),
            Throws.InstanceOf<ConflictException>().With.Message.Contains("conversation"));
        var points = await _database.QueryAsync(db => db.Users.AsNoTracking().Where(u => u.Id == user.Id).Select(u => u.CurrentPoints).SingleAsync());
        Assert.That(points, Is.EqualTo(30));
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task InsertColumnLists_NameEveryMappedColumn()
    {
        var expected = new (Type Entity, string Columns)[]
        {
            (typeof(Interaction), GenerationRows.InteractionColumns),
            (typeof(Message), GenerationRows.MessageColumns),
            (typeof(MessageMedia), GenerationRows.MessageMediaColumns),
            (typeof(Generation), GenerationRows.GenerationColumns),
            (typeof(PointsReservation), GenerationRows.ReservationColumns),
            (typeof(PointsLedgerEntry), GenerationRows.LedgerColumns),
        };
        await _database.QueryAsync(db =>
        {
            foreach (var (entity, columns) in expected)
            {
                var model = db.Model.FindEntityType(entity)!;
                var mapped = model.GetProperties().Select(p => p.GetColumnName()).Order().ToList();
                var listed = columns.Split(',', StringSplitOptions.TrimEntries).Order().ToList();
                Assert.That(listed, Is.EqualTo(mapped), entity.Name);
            }
            return Task.FromResult(0);
        });
    }

    private static StudyGuru.Domain.Media.MediaFile MediaFileFor(Guid userId) =>
        StudyGuru.Domain.Media.MediaFile.Upload(userId, null, "image/png", 10, DateTime.UtcNow);
}
