using System.Collections.Concurrent;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>The generations this instance owns right now (one registry per process).</summary>
public sealed class RunningGenerations
{
    private readonly ConcurrentDictionary<Guid, RunningGeneration> _byId = new();

    public int Count => _byId.Count;

    public void Add(RunningGeneration generation) => _byId[generation.GenerationId] = generation;

    public void Remove(RunningGeneration generation) =>
        _byId.TryRemove(new KeyValuePair<Guid, RunningGeneration>(generation.GenerationId, generation));

    public RunningGeneration? Find(Guid generationId) => _byId.GetValueOrDefault(generationId);

    /// <summary>Stops a generation owned here. False when this instance does not own it.</summary>
    public bool TryStop(Guid generationId, StopReason reason)
    {
        if (!_byId.TryGetValue(generationId, out var generation)) return false;
        generation.Stop(reason);
        return true;
    }

    public IReadOnlyCollection<RunningGeneration> Snapshot() => _byId.Values.ToArray();
}
