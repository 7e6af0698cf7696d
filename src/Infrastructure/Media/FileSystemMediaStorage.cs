using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;

namespace StudyGuru.Infrastructure.Media;

/// <summary>Media bytes in a folder (<c>Media:Root</c>); with several instances it must be a shared volume.</summary>
public sealed class FileSystemMediaStorage(IOptions<MediaOptions> options) : IMediaStorage
{
    public async Task SaveAsync(string storageKey, Stream content, CancellationToken cancellationToken)
    {
        var path = PathFor(storageKey);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write to a temporary name first so that a reader never sees half a file.
        var temporary = path + ".partial";
        await using (var file = File.Create(temporary))
            await content.CopyToAsync(file, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public Task<byte[]> ReadAllAsync(string storageKey, CancellationToken cancellationToken) =>
        File.ReadAllBytesAsync(PathFor(storageKey), cancellationToken);

    public Stream OpenRead(string storageKey) =>
        new FileStream(PathFor(storageKey), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    public Task DeleteAsync(string storageKey, CancellationToken cancellationToken)
    {
        File.Delete(PathFor(storageKey));
        return Task.CompletedTask;
    }

    private string PathFor(string storageKey)
    {
        // Keys are made by the server ("<user>/<media>" in hex), never by clients; refuse anything else anyway.
        if (storageKey.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(storageKey))
            throw new ArgumentException("Invalid storage key.", nameof(storageKey));
        return Path.Combine(Path.GetFullPath(options.Value.Root), storageKey);
    }
}
