using Microsoft.Extensions.Options;
using StudyGuru.Application.Common.Settings;
using StudyGuru.WebApi.Errors;

namespace StudyGuru.WebApi.Hosting;

/// <summary>
/// JSON bodies over <c>Limits:MaxJsonBodyBytes</c> are a 413 before anything reads them: by the declared
/// length at once, or by counting when the length is not declared (chunked uploads).
/// </summary>
public sealed class JsonBodyLimitMiddleware(RequestDelegate next, IOptions<LimitsOptions> options, IOptions<MediaOptions> mediaOptions)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!IsJson(request))
        {
            await next(http);
            return;
        }
        long limit = options.Value.MaxJsonBodyBytes;
        // The AI SDK's chat carries its images inside the JSON body (see AiSdk/InlineImagesBodyAttribute.cs).
        if (http.GetEndpoint()?.Metadata.GetMetadata<AiSdk.InlineImagesBodyAttribute>() is not null)
            limit = AiSdk.InlineImagesBodyAttribute.LimitFor(limit, mediaOptions.Value.MaxBytes,
                Application.Conversations.StreamConversation.StreamConversationValidator.MaxMediaFiles);
        if (request.ContentLength > limit)
        {
            await ProblemWriter.WriteAsync(http, 413, "Request body too large", $"JSON bodies are limited to {limit} bytes.");
            return;
        }
        var sizeFeature = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = limit;
        request.Body = new LengthLimitedStream(request.Body, limit);
        await next(http);
    }

    private static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type && type.Contains("json", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Throws a 413 <see cref="BadHttpRequestException"/> once more than the limit was read.</summary>
internal sealed class LengthLimitedStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int read)
    {
        _read += read;
        if (_read > limit) throw new BadHttpRequestException($"JSON bodies are limited to {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
