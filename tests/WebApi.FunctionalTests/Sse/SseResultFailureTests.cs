using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;
using StudyGuru.WebApi.Sse;

namespace StudyGuru.WebApi.FunctionalTests.Sse;

/// <summary>The writer's own error event, when reading fails after the stream started.</summary>
public sealed class SseResultFailureTests
{
    [Test]
    public async Task ReadFailsAfterTheFirstEvents_ErrorEventKeepsTheLastRealId_SoAResumeSkipsNothing()
    {
        var generationId = Guid.CreateVersion7();
        var http = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection()
                .AddOptions()
                .Configure<StreamingOptions>(o => o.HeartbeatSeconds = 0)
                .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
                .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
                .BuildServiceProvider(),
        };
        var body = new MemoryStream();
        http.Response.Body = body;

        await new SseResult(FailAfterTwoEvents(generationId)).ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));

        var frames = Encoding.UTF8.GetString(body.ToArray()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(frames, Has.Length.EqualTo(3));
        Assert.That(frames[2], Does.Contain("\"type\":\"error\""));
        Assert.That(frames[2], Does.StartWith($"id: {generationId}:2\n"), "the error names the last event the client really got");
    }

    private static async IAsyncEnumerable<GenerationEvent> FailAfterTwoEvents(Guid generationId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var now = DateTimeOffset.UtcNow;
        yield return new GenerationEvent(generationId, 1, GenerationFormat.Conversation,
            new MetadataEvent(Guid.NewGuid(), true, Guid.NewGuid(), generationId, 100, 2, now));
        yield return new GenerationEvent(generationId, 2, GenerationFormat.Conversation, new TokenEvent("Hello", now));
        await Task.Delay(1, cancellationToken);
        throw new IOException("The shared buffer could not be read.");
    }
}
