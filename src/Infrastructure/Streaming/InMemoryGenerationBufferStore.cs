using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Infrastructure.Streaming;

/// <summary>Buffers in this process's memory: the embedded default, and the fallback while Redis is down.</summary>
public sealed class InMemoryGenerationBufferStore(IOptions<StreamingOptions> options, TimeProvider time) : IGenerationBufferStore
{
    private readonly ConcurrentDictionary<Guid, InMemoryGenerationBuffer> _buffers = new();

    public IGenerationBuffer Create(Guid generationId, Guid userId, GenerationFormat format) =>
        CreateLocal(generationId, userId, format, publishExplicitly: false);

    /// <param name="publishExplicitly">Readers see events only as they are published (see <see cref="InMemoryGenerationBuffer.Publish"/>).</param>
    public InMemoryGenerationBuffer CreateLocal(Guid generationId, Guid userId, GenerationFormat format, bool publishExplicitly)
    {
        var buffer = new InMemoryGenerationBuffer(generationId, userId, format, publishExplicitly);
        buffer.Ended += ScheduleExpiry;
        _buffers[generationId] = buffer;
        return buffer;
    }

    public ValueTask<IGenerationBuffer?> FindAsync(Guid generationId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IGenerationBuffer?>(_buffers.TryGetValue(generationId, out var buffer) ? buffer : null);

    /// <summary>An ended generation stays readable for the buffer TTL, then replays come from the database.</summary>
    private void ScheduleExpiry(InMemoryGenerationBuffer buffer)
    {
        var ttl = TimeSpan.FromMinutes(Math.Max(0, options.Value.BufferTtlMinutes));
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            _buffers.TryRemove(new KeyValuePair<Guid, InMemoryGenerationBuffer>(buffer.GenerationId, buffer));
            timer?.Dispose();
        }, null, ttl, Timeout.InfiniteTimeSpan);
    }
}
