using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Caching;

/// <summary>
/// The conversation caches in this process's memory: the whole cache when Redis is not
/// configured, and the fallback beside Redis when it is. It owns its <see cref="MemoryCache"/>
/// (rather than the app's shared one) so that a size limit can bound it without forcing every
/// other user of <see cref="IMemoryCache"/> to declare entry sizes.
/// </summary>
public sealed class MemoryConversationCache : IConversationCache, IDisposable
{
    private readonly MemoryCache _cache;
    private readonly ConversationCacheLifetimes _lifetimes;
    private readonly Lock _interactionsLock = new();

    // Every interaction entry depends on this token, so that all of them can be dropped at once.
    private CancellationTokenSource _interactions = new();

    public MemoryConversationCache()
        : this(ConversationCacheLifetimes.MemoryOnly)
    {
    }

    internal MemoryConversationCache(ConversationCacheLifetimes lifetimes)
    {
        _lifetimes = lifetimes;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = lifetimes.LocalSizeLimitBytes });
    }

    public ValueTask<Guid?> GetOwnerAsync(Guid interactionId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetOwner(interactionId));

    public ValueTask SetOwnerAsync(Guid interactionId, Guid userId, CancellationToken cancellationToken)
    {
        SetOwner(interactionId, userId);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<ChatTurn>?> GetHistoryAsync(Guid interactionId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetHistory(interactionId));

    public ValueTask SetHistoryAsync(Guid interactionId, IReadOnlyList<ChatTurn> history, CancellationToken cancellationToken)
    {
        SetHistory(interactionId, history);
        return ValueTask.CompletedTask;
    }

    public ValueTask InvalidateInteractionAsync(Guid interactionId, CancellationToken cancellationToken)
    {
        ForgetInteraction(interactionId);
        return ValueTask.CompletedTask;
    }

    public ValueTask<CachedResponse?> GetResponseAsync(string promptKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetResponseByHash(PromptKeyHash.Compute(promptKey)));

    public ValueTask SetResponseAsync(string promptKey, CachedResponse response, CancellationToken cancellationToken)
    {
        SetResponseByHash(PromptKeyHash.Compute(promptKey), response);
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _cache.Dispose();
        _interactions.Dispose();
    }

    internal Guid? GetOwner(Guid interactionId) =>
        _cache.TryGetValue(new OwnerKey(interactionId), out Guid owner) ? owner : null;

    internal void SetOwner(Guid interactionId, Guid userId)
    {
        var options = InteractionEntryOptions(CacheEntrySize.Owner);
        options.SlidingExpiration = _lifetimes.OwnerSliding;
        options.AbsoluteExpirationRelativeToNow = _lifetimes.OwnerAbsolute;
        _cache.Set(new OwnerKey(interactionId), userId, options);
    }

    internal IReadOnlyList<ChatTurn>? GetHistory(Guid interactionId) =>
        _cache.TryGetValue(new HistoryKey(interactionId), out ChatTurn[]? history) ? history : null;

    internal void SetHistory(Guid interactionId, IReadOnlyList<ChatTurn> history)
    {
        ArgumentNullException.ThrowIfNull(history);

        // A copy: the caller's list may change after it was cached.
        var copy = history.ToArray();
        var options = InteractionEntryOptions(CacheEntrySize.Of(copy));
        options.AbsoluteExpirationRelativeToNow = _lifetimes.History;
        _cache.Set(new HistoryKey(interactionId), copy, options);
    }

    internal void ForgetInteraction(Guid interactionId)
    {
        _cache.Remove(new OwnerKey(interactionId));
        _cache.Remove(new HistoryKey(interactionId));
    }

    /// <summary>Drops every ownership and history entry (responses never go stale and stay).</summary>
    internal void ForgetAllInteractions()
    {
        CancellationTokenSource previous;
        lock (_interactionsLock)
        {
            previous = _interactions;
            _interactions = new CancellationTokenSource();
        }

        // Not disposed: an entry being added right now may still register on its token.
        previous.Cancel();
    }

    internal CachedResponse? GetResponseByHash(string promptHash) =>
        _cache.TryGetValue(new ResponseKey(promptHash), out CachedResponse? response) ? response : null;

    internal void SetResponseByHash(string promptHash, CachedResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        // A copy, so that the caller's list cannot change the entry; AnswerPieces cannot change and is kept as it is.
        var copy = response.Tokens is AnswerPieces ? response : response with { Tokens = response.Tokens.ToArray() };
        _cache.Set(
            new ResponseKey(promptHash),
            copy,
            new MemoryCacheEntryOptions
            {
                AbsoluteExpirationRelativeToNow = _lifetimes.Response,
                Size = CacheEntrySize.Of(copy),
            });
    }

    private MemoryCacheEntryOptions InteractionEntryOptions(long size)
    {
        var options = new MemoryCacheEntryOptions { Size = size };
        lock (_interactionsLock)
        {
            options.ExpirationTokens.Add(new CancellationChangeToken(_interactions.Token));
        }

        return options;
    }

    private readonly record struct OwnerKey(Guid InteractionId);

    private readonly record struct HistoryKey(Guid InteractionId);

    private readonly record struct ResponseKey(string PromptHash);
}
