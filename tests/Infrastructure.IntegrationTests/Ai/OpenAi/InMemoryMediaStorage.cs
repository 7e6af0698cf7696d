using System.Collections.Concurrent;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai.OpenAi;

/// <summary>Media storage in a dictionary, for adapter tests that send images; counts reads.</summary>
internal sealed class InMemoryMediaStorage : IMediaStorage
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private int _reads;

    public int Reads => _reads;

    public async Task SaveAsync(string storageKey, Stream content, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        _files[storageKey] = copy.ToArray();
    }

    public Task<byte[]> ReadAllAsync(string storageKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return _files.TryGetValue(storageKey, out var bytes)
            ? Task.FromResult(bytes)
            : Task.FromException<byte[]>(new FileNotFoundException("No such media file.", storageKey));
    }

    public Stream OpenRead(string storageKey) => new MemoryStream(_files[storageKey], writable: false);

    public Task DeleteAsync(string storageKey, CancellationToken cancellationToken)
    {
        _files.TryRemove(storageKey, out _);
        return Task.CompletedTask;
    }
}
