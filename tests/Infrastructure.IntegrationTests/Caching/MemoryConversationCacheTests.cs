using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Interactions;
using StudyGuru.Infrastructure.Caching;

namespace StudyGuru.Infrastructure.IntegrationTests.Caching;

public sealed class MemoryConversationCacheTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task GetOwnerAsync_AfterSet_ReturnsOwner()
    {
        using var cache = new MemoryConversationCache();
        var interactionId = Guid.NewGuid();
        var userId = Guid.NewGuid();

        await cache.SetOwnerAsync(interactionId, userId, None);

        Assert.That(await cache.GetOwnerAsync(interactionId, None), Is.EqualTo(userId));
    }

    [Test]
    public async Task GetOwnerAsync_NeverSet_ReturnsNull()
    {
        using var cache = new MemoryConversationCache();

        Assert.That(await cache.GetOwnerAsync(Guid.NewGuid(), None), Is.Null);
    }

    [Test]
    public async Task GetHistoryAsync_ListChangedAfterSet_ReturnsHistoryAsSet()
    {
        using var cache = new MemoryConversationCache();
        var interactionId = Guid.NewGuid();
        var history = new List<ChatTurn>(ConversationSamples.History());

        await cache.SetHistoryAsync(interactionId, history, None);
        history.Add(new ChatTurn(MessageRole.User, "added later"));

        Assert.That(await cache.GetHistoryAsync(interactionId, None), Is.EqualTo(ConversationSamples.History()));
    }

    [Test]
    public async Task InvalidateInteractionAsync_AfterSet_ForgetsOwnerAndHistoryOfThatInteractionOnly()
    {
        using var cache = new MemoryConversationCache();
        var interactionId = Guid.NewGuid();
        var otherId = Guid.NewGuid();
        await cache.SetOwnerAsync(interactionId, Guid.NewGuid(), None);
        await cache.SetHistoryAsync(interactionId, ConversationSamples.History(), None);
        await cache.SetOwnerAsync(otherId, Guid.NewGuid(), None);

        await cache.InvalidateInteractionAsync(interactionId, None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await cache.GetOwnerAsync(interactionId, None), Is.Null);
            Assert.That(await cache.GetHistoryAsync(interactionId, None), Is.Null);
            Assert.That(await cache.GetOwnerAsync(otherId, None), Is.Not.Null);
        }
    }

    [Test]
    public async Task GetResponseAsync_SamePromptKey_ReturnsResponse()
    {
        using var cache = new MemoryConversationCache();
        var response = ConversationSamples.Response();

        await cache.SetResponseAsync("model|v1|1000|history|What is 12*(3+4)?", response, None);
        var cached = await cache.GetResponseAsync("model|v1|1000|history|What is 12*(3+4)?", None);

        Assert.That(cached, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cached!.Tokens, Is.EqualTo(response.Tokens));
            Assert.That(cached.InputTokens, Is.EqualTo(120));
            Assert.That(cached.OutputTokens, Is.EqualTo(4));
        }
    }

    [Test]
    public async Task GetResponseAsync_PiecesAsAnswerText_ReturnsTheSamePieces()
    {
        using var cache = new MemoryConversationCache();
        var response = new CachedResponse(new AnswerPieces("The answer is 84.", [3, 10, 13, 17]), InputTokens: 120, OutputTokens: 4);

        await cache.SetResponseAsync("model|v1|1000|What is 12*7?", response, None);
        var cached = await cache.GetResponseAsync("model|v1|1000|What is 12*7?", None);

        Assert.That(cached?.Tokens, Is.EqualTo(new[] { "The", " answer", " is", " 84." }));
    }

    [Test]
    public async Task GetResponseAsync_DifferentPromptKey_ReturnsNull()
    {
        using var cache = new MemoryConversationCache();
        await cache.SetResponseAsync("prompt one", ConversationSamples.Response(), None);

        Assert.That(await cache.GetResponseAsync("prompt two", None), Is.Null);
    }

    [Test]
    public async Task ForgetAllInteractions_WithEntries_DropsInteractionsAndKeepsResponses()
    {
        using var cache = new MemoryConversationCache();
        var interactionId = Guid.NewGuid();
        await cache.SetOwnerAsync(interactionId, Guid.NewGuid(), None);
        await cache.SetHistoryAsync(interactionId, ConversationSamples.History(), None);
        await cache.SetResponseAsync("prompt", ConversationSamples.Response(), None);

        cache.ForgetAllInteractions();
        var laterId = Guid.NewGuid();
        await cache.SetOwnerAsync(laterId, Guid.NewGuid(), None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await cache.GetOwnerAsync(interactionId, None), Is.Null);
            Assert.That(await cache.GetHistoryAsync(interactionId, None), Is.Null);
            Assert.That(await cache.GetResponseAsync("prompt", None), Is.Not.Null);
            Assert.That(await cache.GetOwnerAsync(laterId, None), Is.Not.Null, "entries added afterwards are kept");
        }
    }

    [Test]
    public async Task SetResponseAsync_FarMoreThanSizeLimit_KeepsNoMoreThanFits()
    {
        const long limitBytes = 64 * 1024;
        var lifetimes = ConversationCacheLifetimes.MemoryOnly with { LocalSizeLimitBytes = limitBytes };
        using var cache = new MemoryConversationCache(lifetimes);
        var response = new CachedResponse([new string('x', 4096)], 10, 1);
        var entrySize = CacheEntrySize.Of(response);

        for (var i = 0; i < 200; i++)
        {
            await cache.SetResponseAsync($"prompt {i}", response, None);
        }

        var kept = 0;
        for (var i = 0; i < 200; i++)
        {
            if (await cache.GetResponseAsync($"prompt {i}", None) is not null)
            {
                kept++;
            }
        }

        Assert.That(kept, Is.InRange(1, limitBytes / entrySize));
    }

    [Test]
    public async Task GetHistoryAsync_AfterItsLifetime_ReturnsNull()
    {
        var lifetimes = ConversationCacheLifetimes.MemoryOnly with { History = TimeSpan.FromMilliseconds(100) };
        using var cache = new MemoryConversationCache(lifetimes);
        var interactionId = Guid.NewGuid();
        await cache.SetHistoryAsync(interactionId, ConversationSamples.History(), None);

        var expired = await Eventually.HoldsAsync(
            async () => await cache.GetHistoryAsync(interactionId, None) is null,
            TimeSpan.FromSeconds(10));

        Assert.That(expired, Is.True);
    }
}
