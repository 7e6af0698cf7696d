namespace StudyGuru.Application.Abstractions;

/// <summary>Where media bytes live: a folder under Media:Root by default (shared by every instance).</summary>
public interface IMediaStorage
{
    Task SaveAsync(string storageKey, Stream content, CancellationToken cancellationToken);
    Task<byte[]> ReadAllAsync(string storageKey, CancellationToken cancellationToken);
    Stream OpenRead(string storageKey);
    Task DeleteAsync(string storageKey, CancellationToken cancellationToken);
}
