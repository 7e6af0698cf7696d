using System.Globalization;
using Microsoft.AspNetCore.Http.Features;

namespace StudyGuru.Benchmarks.Baseline;

/// <summary>
/// The ceiling: bare Kestrel on loopback serving the stream endpoint's path with pre-serialized frames,
/// one write and one flush per event, the same delay before each token, and no auth, database, mediator,
/// logging or middleware.
/// </summary>
public static class BaselineServer
{
    public const string Command = "serve-baseline";
    public const string ReadyPath = "/health";

    public static async Task<int> RunAsync(string[] args)
    {
        var port = Option(args, "--port");
        var tokenDelay = TimeSpan.FromMilliseconds(Option(args, "--token-delay-ms"));
        var frames = BaselineFrames.Build(Option(args, "--answer-words"));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();

        app.MapGet(ReadyPath, () => "ok");
        app.MapPost(Hosting.Target.StreamPath, (HttpContext http, CancellationToken cancellation) =>
            StreamAsync(http, frames, tokenDelay, cancellation));
        await app.RunAsync();
        return 0;
    }

    private static async Task StreamAsync(HttpContext http, IReadOnlyList<byte[]> frames, TimeSpan tokenDelay, CancellationToken cancellation)
    {
        // Read the request like the API's model binding does, then answer with the API's stream headers.
        await http.Request.Body.CopyToAsync(Stream.Null, cancellation);
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        try
        {
            for (var i = 0; i < frames.Count; i++)
            {
                // Metadata goes at once; each token waits for the model's pace; complete follows the last token.
                var isToken = i > 0 && i < frames.Count - 1;
                if (isToken && tokenDelay > TimeSpan.Zero) await Task.Delay(tokenDelay, cancellation);
                await response.Body.WriteAsync(frames[i], cancellation);
                await response.Body.FlushAsync(cancellation);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The client left.
        }
    }

    private static int Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0 || index + 1 >= args.Length) throw new ArgumentException($"{Command} needs {name} <number>.");
        return int.Parse(args[index + 1], CultureInfo.InvariantCulture);
    }
}
