using Microsoft.Extensions.Options;
using StudyGuru.Application.Common.Settings;
using StudyGuru.WebApi.Errors;

namespace StudyGuru.WebApi.Hosting;

/// <summary>
/// Request bodies over <c>Limits:MaxJsonBodyBytes</c> are a 413 before anything reads them: by the declared
/// length at once, or by counting when the length is not declared (chunked uploads). Every body is limited
/// whatever its <c>Content-Type</c> (a GraphQL document sent without one is still parsed), except the media
/// upload, which has its own limit (<see cref="Media.MediaUploadLimitsAttribute"/>).
/// It runs after authorization, so that an anonymous request is a 401 whatever its size, and a request that
/// resumes with <c>Last-Event-ID</c> is never refused for a body it will not read (the status precedence:
/// 401, <c>Last-Event-ID</c>, 413, ...).
/// </summary>
public sealed class JsonBodyLimitMiddleware(RequestDelegate next, IOptions<LimitsOptions> options, IOptions<MediaOptions> mediaOptions)
{
    // Not async, as UrlLengthLimitMiddleware: nothing of it stays alive while the request runs.
    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        var endpoint = http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<Media.MediaUploadLimitsAttribute>() is not null) return next(http);
        long limit = options.Value.MaxJsonBodyBytes;
        // The AI SDK's chat carries its images inside the JSON body (see AiSdk/InlineImagesBodyAttribute.cs).
        if (endpoint?.Metadata.GetMetadata<AiSdk.InlineImagesBodyAttribute>() is not null)
            limit = AiSdk.InlineImagesBodyAttribute.LimitFor(limit, mediaOptions.Value.MaxBytes,
                Application.Conversations.StreamConversation.StreamConversationValidator.MaxMediaFiles);
        var resumes = endpoint?.Metadata.GetMetadata<Sse.ResumeFromLastEventIdAttribute>() is not null
            && !string.IsNullOrWhiteSpace(request.Headers[Sse.LastEventId.HeaderName]);
        if (request.ContentLength > limit && !resumes)
            return ProblemWriter.WriteAsync(http, 413, "Request body too large", $"Request bodies are limited to {limit} bytes.");
        var sizeFeature = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = limit;
        request.Body = new LengthLimitedStream(request.Body, limit);
        return next(http);
    }
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
        if (_read > limit) throw new BadHttpRequestException($"Request bodies are limited to {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
