using Microsoft.EntityFrameworkCore;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Interactions;
using StudyGuru.Domain.Media;

namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

[TestFixture]
public sealed class InteractionRepositoryTests
{
    private static readonly DateTime BaseTime = new(2025, 3, 9, 23, 59, 59, 900, DateTimeKind.Utc);

    private SqliteTestDatabase _database = null!;

    [SetUp]
    public async Task SetUp() => _database = await SqliteTestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _database.DisposeAsync();

    private Task<T> WithRepositoryAsync<T>(Func<IInteractionRepository, Task<T>> action) => _database.WithAsync(action);

    private async Task<Interaction> SeedThreadAsync(Guid userId, DateTime lastMessageAt, bool pinned = false)
    {
        var thread = Interaction.Start(userId, lastMessageAt);
        if (pinned) thread.Pin(true, lastMessageAt);
        return await _database.SeedAsync(thread);
    }

    [Test]
    public async Task ListAsync_PinnedAndUnpinned_ListsPinnedFirstThenNewestFirst()
    {
        var user = await _database.SeedUserAsync(0);
        // Times that only sort right as UTC text: across midnight, a day, and sub-second differences.
        var oldPinned = await SeedThreadAsync(user.Id, BaseTime.AddDays(-3), pinned: true);
        var newest = await SeedThreadAsync(user.Id, BaseTime.AddMilliseconds(150));
        var middle = await SeedThreadAsync(user.Id, BaseTime.AddMilliseconds(1));
        var oldest = await SeedThreadAsync(user.Id, BaseTime.AddHours(-10));
        var newPinned = await SeedThreadAsync(user.Id, BaseTime.AddDays(-1), pinned: true);
        await SeedThreadAsync((await _database.SeedUserAsync(0)).Id, BaseTime.AddDays(1));

        var page = await WithRepositoryAsync(r => r.ListAsync(user.Id, 1, 10, CancellationToken.None));

        Assert.That(page.Items.Select(i => i.Id), Is.EqualTo(new[] { newPinned.Id, oldPinned.Id, newest.Id, middle.Id, oldest.Id }));
        Assert.Multiple(() =>
        {
            Assert.That(page.Total, Is.EqualTo(5));
            Assert.That(page.HasNextPage, Is.False);
            Assert.That(page.Items.Select(i => i.LastMessageAt.Kind), Is.All.EqualTo(DateTimeKind.Utc));
            Assert.That(page.Items[2].LastMessageAt, Is.EqualTo(BaseTime.AddMilliseconds(150)));
        });
    }

    [TestCase(1, 2, 2, true)]
    [TestCase(2, 2, 2, true)]
    [TestCase(3, 2, 1, false)]
    [TestCase(4, 2, 0, false)]
    [TestCase(1, 5, 5, false)]
    [TestCase(1, 100, 5, false)]
    public async Task ListAsync_PageOfFive_HasExpectedItemsAndNextPage(int page, int size, int expectedItems, bool expectedNext)
    {
        var user = await _database.SeedUserAsync(0);
        for (var i = 0; i < 5; i++) await SeedThreadAsync(user.Id, BaseTime.AddMinutes(i));

        var result = await WithRepositoryAsync(r => r.ListAsync(user.Id, page, size, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(result.Total, Is.EqualTo(5));
            Assert.That(result.Items, Has.Count.EqualTo(expectedItems));
            Assert.That(result.HasNextPage, Is.EqualTo(expectedNext));
        });
    }

    [Test]
    public async Task ListAsync_ExactMultipleOfPageSize_LastPageHasNoNextPage()
    {
        var user = await _database.SeedUserAsync(0);
        for (var i = 0; i < 4; i++) await SeedThreadAsync(user.Id, BaseTime.AddMinutes(i));

        var result = await WithRepositoryAsync(r => r.ListAsync(user.Id, 2, 2, CancellationToken.None));

        Assert.That(result.HasNextPage, Is.False);
        Assert.That(result.Items, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task GetRecentMessagesAsync_MoreMessagesThanAsked_ReturnsTheLastOnesOldestFirstWithMedia()
    {
        var user = await _database.SeedUserAsync(0);
        var thread = await SeedThreadAsync(user.Id, BaseTime);
        var mediaId = Guid.CreateVersion7();
        var messages = new List<Message>();
        for (var i = 0; i < 6; i++)
        {
            var media = i == 4 ? new[] { (mediaId, "image/png") } : [];
            messages.Add(await _database.SeedAsync(Message.FromUser(thread.Id, $"question {i}", media, BaseTime.AddSeconds(i))));
        }

        var recent = await WithRepositoryAsync(r => r.GetRecentMessagesAsync(thread.Id, 3, CancellationToken.None));

        Assert.That(recent.Select(m => m.Content), Is.EqualTo(new[] { "question 3", "question 4", "question 5" }));
        Assert.That(recent[1].Media.Select(m => (m.MediaId, m.FileType)), Is.EqualTo(new[] { (mediaId, "image/png") }));
    }

    [Test]
    public async Task ListMessagesAsync_LimitAndOffset_ReturnsNewestFirstWithTotal()
    {
        var user = await _database.SeedUserAsync(0);
        var thread = await SeedThreadAsync(user.Id, BaseTime);
        for (var i = 0; i < 5; i++) await _database.SeedAsync(Message.FromUser(thread.Id, $"question {i}", [], BaseTime.AddSeconds(i)));

        var page = await WithRepositoryAsync(r => r.ListMessagesAsync(thread.Id, 2, 1, CancellationToken.None));
        var last = await WithRepositoryAsync(r => r.ListMessagesAsync(thread.Id, 2, 3, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(page.Items.Select(m => m.Content), Is.EqualTo(new[] { "question 3", "question 2" }));
            Assert.That(page.Total, Is.EqualTo(5));
            Assert.That(page.HasNextPage, Is.True);
            Assert.That(last.Items.Select(m => m.Content), Is.EqualTo(new[] { "question 1", "question 0" }));
            Assert.That(last.HasNextPage, Is.False);
        });
    }

    [Test]
    public async Task HasMessagesAsync_BeforeAndAfterAMessage_ReportsIt()
    {
        var user = await _database.SeedUserAsync(0);
        var thread = await SeedThreadAsync(user.Id, BaseTime);
        Assert.That(await WithRepositoryAsync(r => r.HasMessagesAsync(thread.Id, CancellationToken.None)), Is.False);

        await _database.SeedAsync(Message.FromUser(thread.Id, "hello", [], BaseTime));

        Assert.That(await WithRepositoryAsync(r => r.HasMessagesAsync(thread.Id, CancellationToken.None)), Is.True);
    }

    [Test]
    public async Task FindOwnedAsync_AnotherUsersThread_ReturnsNull()
    {
        var owner = await _database.SeedUserAsync(0);
        var stranger = await _database.SeedUserAsync(0);
        var thread = await SeedThreadAsync(owner.Id, BaseTime);

        Assert.That((await WithRepositoryAsync(r => r.FindOwnedAsync(thread.Id, owner.Id, CancellationToken.None)))?.Id, Is.EqualTo(thread.Id));
        Assert.That(await WithRepositoryAsync(r => r.FindOwnedAsync(thread.Id, stranger.Id, CancellationToken.None)), Is.Null);
    }

    [Test]
    public async Task DeleteAsync_ThreadWithMedia_RemovesItsRowsAndMediaUsedOnlyThere()
    {
        var user = await _database.SeedUserAsync(30);
        var doomed = await SeedThreadAsync(user.Id, BaseTime);
        var kept = await SeedThreadAsync(user.Id, BaseTime);
        var onlyHere = await _database.SeedAsync(MediaFile.Upload(user.Id, null, "image/png", 10, BaseTime));
        var uploadedHereUnused = await _database.SeedAsync(MediaFile.Upload(user.Id, doomed.Id, "image/png", 10, BaseTime));
        var shared = await _database.SeedAsync(MediaFile.Upload(user.Id, doomed.Id, "image/jpeg", 10, BaseTime));
        var elsewhere = await _database.SeedAsync(MediaFile.Upload(user.Id, null, "image/gif", 10, BaseTime));
        var start = GenerationScenario.InThread(user.Id, doomed.Id, 3, BaseTime, "look",
            [(onlyHere.Id, onlyHere.FileType), (shared.Id, shared.FileType)]);
        await _database.WithAsync<IGenerationRepository, GenerationStartResult>(r => r.StartAsync(start, CancellationToken.None));
        await _database.WithAsync<IGenerationRepository, int?>(r => r.SettleAsync(GenerationScenario.Settle(start, 1, BaseTime), CancellationToken.None));
        await _database.SeedAsync(Message.FromUser(kept.Id, "same picture", [(shared.Id, shared.FileType), (elsewhere.Id, elsewhere.FileType)], BaseTime));

        var removedKeys = await WithRepositoryAsync(r => r.DeleteAsync(doomed.Id, CancellationToken.None));

        Assert.That(removedKeys, Is.EquivalentTo(new[] { onlyHere.StorageKey, uploadedHereUnused.StorageKey }));
        var (threads, messages, links, generations, reservations, media) = await _database.QueryAsync(async db => (
            await db.Interactions.Select(i => i.Id).ToListAsync(),
            await db.Messages.Select(m => m.InteractionId).Distinct().ToListAsync(),
            await db.MessageMedia.Select(l => l.MediaId).ToListAsync(),
            await db.Generations.CountAsync(),
            await db.PointsReservations.CountAsync(),
            await db.MediaFiles.Select(m => m.Id).ToListAsync()));
        Assert.Multiple(() =>
        {
            Assert.That(threads, Is.EqualTo(new[] { kept.Id }));
            Assert.That(messages, Is.EqualTo(new[] { kept.Id }));
            Assert.That(links, Is.EquivalentTo(new[] { shared.Id, elsewhere.Id }));
            Assert.That(generations, Is.Zero);
            Assert.That(reservations, Is.Zero);
            Assert.That(media, Is.EquivalentTo(new[] { shared.Id, elsewhere.Id }));
        });
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task DeleteAsync_ThreadWithARunningGeneration_ReturnsTheHeldPoints()
    {
        var user = await _database.SeedUserAsync(30);
        var start = GenerationScenario.NewThread(user.Id, 12, BaseTime);
        await _database.WithAsync<IGenerationRepository, GenerationStartResult>(r => r.StartAsync(start, CancellationToken.None));

        await WithRepositoryAsync(r => r.DeleteAsync(start.InteractionId, CancellationToken.None));

        Assert.That(await _database.QueryAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.CurrentPoints).SingleAsync()), Is.EqualTo(30));
        await _database.AssertPointsInvariantAsync(user.Id);
        var lateSettlement = await _database.WithAsync<IGenerationRepository, int?>(
            r => r.SettleAsync(GenerationScenario.Settle(start, 5, BaseTime), CancellationToken.None));
        Assert.That(lateSettlement, Is.Null, "the owner finds its reservation gone and charges nothing");
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task DeleteAsync_UnknownThread_ReturnsNoKeys()
    {
        Assert.That(await WithRepositoryAsync(r => r.DeleteAsync(Guid.CreateVersion7(), CancellationToken.None)), Is.Empty);
    }

    [Test]
    public async Task TrySetGeneratedTitlesAsync_RenamedOrNot_AppliesOnlyWhenNotRenamed()
    {
        var user = await _database.SeedUserAsync(0);
        var untouched = await SeedThreadAsync(user.Id, BaseTime);
        var renamed = Interaction.Start(user.Id, BaseTime);
        renamed.Rename("Mine", BaseTime);
        await _database.SeedAsync(renamed);

        var applied = await WithRepositoryAsync(r => r.TrySetGeneratedTitlesAsync(untouched.Id, "Algebra", "Help with algebra", BaseTime, CancellationToken.None));
        var refused = await WithRepositoryAsync(r => r.TrySetGeneratedTitlesAsync(renamed.Id, "Algebra", "Help with algebra", BaseTime, CancellationToken.None));

        Assert.That(applied, Is.True);
        Assert.That(refused, Is.False);
        var titles = await _database.QueryAsync(db => db.Interactions.ToDictionaryAsync(i => i.Id, i => i.Title));
        Assert.That(titles[untouched.Id], Is.EqualTo("Algebra"));
        Assert.That(titles[renamed.Id], Is.EqualTo("Mine"));
    }
}
