using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Media;

/// <summary>
/// Reads the bytes of a request's images when the model call needs them, not when the request arrives: a
/// request refused before its stream (402, 409, 429, 422...) never reads an image, and the bytes held by all
/// running calls stay within <see cref="ImageBytesBudget"/>.
/// </summary>
public sealed class ModelImageLoader(IMediaStorage storage, ImageBytesBudget budget)
{
    public async Task<LoadedImages> LoadAsync(IReadOnlyList<ChatImage> images, CancellationToken cancellationToken)
    {
        if (images.Count == 0) return new LoadedImages([], null);
        var lease = await budget.AcquireAsync(images.Sum(image => image.Size), cancellationToken);
        try
        {
            var bytes = new List<ReadOnlyMemory<byte>>(images.Count);
            foreach (var image in images)
                bytes.Add(await storage.ReadAllAsync(image.StorageKey, cancellationToken));
            return new LoadedImages(bytes, lease);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            lease.Dispose();
            throw new ChatModelException(ChatModelErrorCodes.ModelError, "An attached image is no longer available.", exception);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }
}

/// <summary>The bytes of a request's images, in the request's order; disposing gives their budget back.</summary>
public sealed class LoadedImages(IReadOnlyList<ReadOnlyMemory<byte>> bytes, IDisposable? lease) : IDisposable
{
    public IReadOnlyList<ReadOnlyMemory<byte>> Bytes { get; } = bytes;

    public void Dispose() => lease?.Dispose();
}
