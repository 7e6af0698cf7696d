using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StudyGuru.TestSupport.OpenAi;

/// <summary>
/// A real OpenAI-compatible HTTP server (Kestrel on 127.0.0.1, a free port) serving
/// <c>POST /v1/chat/completions</c>, streaming (SSE) and not, driven by <see cref="Script"/>.
/// It records every request and notices when a client aborts a request it is still answering.
/// </summary>
/// <example>
/// <code>
/// await using var server = await FakeOpenAiServer.StartAsync();
/// server.Script = FakeOpenAiScript.Default with { Tokens = ["2", " + 2", " = 4"] };
/// // point the client at server.Endpoint (it ends in /v1)
/// </code>
/// </example>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedChatRequest> _requests = new();
    private readonly TaskCompletionSource _firstClientAbort = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile FakeOpenAiScript _script = FakeOpenAiScript.Default;
    private int _clientAborts;

    private FakeOpenAiServer(WebApplication app) => _app = app;

    /// <summary>The API base address, ending in <c>/v1</c>, as <c>Ai:Endpoint</c> expects it.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The behaviour for the requests that arrive from now on. Defaults to <see cref="FakeOpenAiScript.Default"/>.</summary>
    public FakeOpenAiScript Script
    {
        get => _script;
        set => _script = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedChatRequest> Requests => [.. _requests];

    /// <summary>How many requests the client aborted while the server was still answering them.</summary>
    public int ClientAbortCount => Volatile.Read(ref _clientAborts);

    /// <summary>Starts a server on 127.0.0.1 with a free port.</summary>
    public static async Task<FakeOpenAiServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeOpenAiServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    /// <summary>Completes when the client has aborted a request the server was answering.</summary>
    /// <exception cref="TimeoutException">No abort was seen within <paramref name="timeout"/>.</exception>
    public Task WaitForClientAbortAsync(TimeSpan timeout) => _firstClientAbort.Task.WaitAsync(timeout);

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived and returns the last of them.</summary>
    /// <exception cref="TimeoutException">Fewer arrived within <paramref name="timeout"/>.</exception>
    public async Task<RecordedChatRequest> WaitForRequestAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var requests = Requests;
            if (requests.Count >= count)
            {
                return requests[count - 1];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} request(s), got {requests.Count}.");
            }

            await Task.Delay(PollInterval);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var script = Script;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new RecordedChatRequest(body, context.Request.Headers.Authorization.FirstOrDefault());
        _requests.Enqueue(request);

        if (script.ErrorStatus is { } status)
        {
            await WriteJsonAsync(context, status, ChatCompletionPayloads.Error(status));
            return;
        }

        if (!request.IsStreaming)
        {
            if (script.NonStreamingGate is { } gate) await gate.WaitAsync(context.RequestAborted);
            var completion = ChatCompletionPayloads.Completion(
                request.Model ?? "fake", script.NonStreamingContent, script.PromptTokens, script.CompletionTokens ?? 1);
            await WriteJsonAsync(context, StatusCodes.Status200OK, completion);
            return;
        }

        try
        {
            await new FakeChatStream(context, script, request).RunAsync();
        }
        catch (Exception exception) when (context.RequestAborted.IsCancellationRequested
            && exception is OperationCanceledException or IOException)
        {
            Interlocked.Increment(ref _clientAborts);
            _firstClientAbort.TrySetResult();
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }
}
