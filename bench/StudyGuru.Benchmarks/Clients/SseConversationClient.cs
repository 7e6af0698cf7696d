using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using StudyGuru.Benchmarks.Hosting;

namespace StudyGuru.Benchmarks.Clients;

/// <summary>
/// Real HTTP/1.1 SSE clients over loopback: one shared <see cref="HttpClient"/> with as many connections
/// as there are streams. Each conversation posts a question that was never asked before (a repeated
/// prompt would be answered from the response cache) and reads and checks every frame.
/// </summary>
public sealed class SseConversationClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    private readonly HttpClient _http;
    private readonly int _maxTokens;
    private long _questions;

    public SseConversationClient(int maxTokens)
    {
        _maxTokens = maxTokens;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
        };
    }

    public async Task<ConversationResult> RunAsync(
        Target target, string bearerToken, bool recordTokenTimes, LiveCounters? counters, CancellationToken cancellation)
    {
        var result = new ConversationResult { Started = Stopwatch.GetTimestamp(), TokenTimes = recordTokenTimes ? [] : null };
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target.StreamUri) { Content = new ByteArrayContent(NextQuestion()) };
            request.Content.Headers.ContentType = Json;
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
            request.Headers.Accept.Add(EventStream);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                result.Error = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellation)}";
                return result;
            }
            await using var body = await response.Content.ReadAsStreamAsync(cancellation);
            await ReadFramesAsync(body, new SseEventChecker(result, counters), result, cancellation);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException)
        {
            // The inner exception says what happened on the socket (reset, refused, timed out).
            result.Error ??= exception.InnerException is { } inner
                ? $"{exception.GetType().Name}: {exception.Message} ({inner.GetType().Name}: {inner.Message})"
                : $"{exception.GetType().Name}: {exception.Message}";
        }
        return result;
    }

    /// <summary>Splits the body on blank lines as the bytes arrive; all frames of one read share its arrival time.</summary>
    private static async Task ReadFramesAsync(Stream body, SseEventChecker checker, ConversationResult result, CancellationToken cancellation)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await body.ReadAsync(buffer.AsMemory(filled), cancellation);
                if (read == 0)
                {
                    if (!checker.Completed) result.Error ??= "the stream ended without a terminal event";
                    if (filled > 0) result.Error ??= "the stream ended inside a frame";
                    return;
                }
                var arrivedAt = Stopwatch.GetTimestamp();
                filled += read;

                var consumed = 0;
                while (true)
                {
                    var end = buffer.AsSpan(consumed, filled - consumed).IndexOf("\n\n"u8);
                    if (end < 0) break;
                    if (!checker.Accept(buffer.AsSpan(consumed, end), arrivedAt)) return;
                    consumed += end + 2;
                }
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A question no one asked before, in words only (digits could read as arithmetic to the offline tutor).</summary>
    private byte[] NextQuestion()
    {
        var tag = Letters(Interlocked.Increment(ref _questions));
        return Encoding.UTF8.GetBytes(
            $$"""{"message":"Please explain how plants turn sunlight into food, for study group {{tag}}.","max_tokens":{{_maxTokens}}}""");
    }

    private static string Letters(long number)
    {
        var letters = new StringBuilder();
        do
        {
            letters.Insert(0, (char)('a' + (int)(number % 26)));
            number /= 26;
        }
        while (number > 0);
        return letters.ToString();
    }

    public void Dispose() => _http.Dispose();
}
