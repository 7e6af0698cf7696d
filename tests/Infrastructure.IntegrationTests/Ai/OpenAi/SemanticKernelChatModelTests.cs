using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Interactions;
using StudyGuru.TestSupport.OpenAi;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai.OpenAi;

public sealed class SemanticKernelChatModelTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private FakeOpenAiServer _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await FakeOpenAiServer.StartAsync();

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task StreamAsync_ServerStreams_TextChunksThenStopWithProviderUsage()
    {
        _server.Script = FakeOpenAiScript.Default with { Tokens = ["Hello", " world", "!"], PromptTokens = 1234, CompletionTokens = 777 };

        var chunks = await OpenAiAdapters.ChatModel(_server.Endpoint).CollectAsync(ChatRequests.Text("Hi"));

        Assert.That(chunks, Is.EqualTo(new[]
        {
            ChatChunk.FromText("Hello"),
            ChatChunk.FromText(" world"),
            ChatChunk.FromText("!"),
            new ChatChunk(null, "stop", new ChatUsage(1234, 777)),
        }));
    }

    [Test]
    public async Task StreamAsync_LastChunkHeldBack_FirstTokenArrivesBeforeRelease()
    {
        var gate = new FakeOpenAiGate();
        _server.Script = FakeOpenAiScript.Default with { Tokens = ["First", " second", " last"], LastChunkGate = gate };
        var model = OpenAiAdapters.ChatModel(_server.Endpoint);

        await using var stream = model.StreamAsync(ChatRequests.Text("Hi"), CancellationToken.None).GetAsyncEnumerator();
        var first = await stream.MoveNextAsync().AsTask().WaitAsync(Patience);
        var firstChunk = stream.Current;
        var releasedBeforeFirstToken = gate.IsOpen;
        gate.Open();
        var rest = new List<ChatChunk>();
        while (await stream.MoveNextAsync())
        {
            rest.Add(stream.Current);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.True);
            Assert.That(firstChunk.Text, Is.EqualTo("First"));
            Assert.That(releasedBeforeFirstToken, Is.False);
            Assert.That(rest.TextOf(), Is.EqualTo(" second last"));
            Assert.That(rest[^1].FinishReason, Is.EqualTo("stop"));
        }
    }

    [Test]
    public async Task StreamAsync_NoUsageReported_FinalChunkWithoutUsage()
    {
        _server.Script = FakeOpenAiScript.Default with { SendUsage = false };

        var chunks = await OpenAiAdapters.ChatModel(_server.Endpoint).CollectAsync(ChatRequests.Text("Hi"));

        Assert.That(chunks[^1], Is.EqualTo(new ChatChunk(null, "stop")));
    }

    [TestCase("stop", "stop")]
    [TestCase("length", "length")]
    [TestCase("content_filter", "content_filter")]
    public async Task StreamAsync_ProviderFinishReason_ReportedInSnakeCase(string sent, string expected)
    {
        _server.Script = FakeOpenAiScript.Default with { FinishReason = sent };

        var chunks = await OpenAiAdapters.ChatModel(_server.Endpoint).CollectAsync(ChatRequests.Text("Hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chunks[^1].FinishReason, Is.EqualTo(expected));
            Assert.That(chunks.Count(chunk => chunk.FinishReason is not null), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task StreamAsync_ServerHonoursLimit_LengthFromProvider()
    {
        _server.Script = FakeOpenAiScript.Default with { Tokens = [" one", " two", " three", " four", " five"] };

        var chunks = await OpenAiAdapters.ChatModel(_server.Endpoint).CollectAsync(ChatRequests.Text("Count", maxTokens: 3));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chunks.TextOf(), Is.EqualTo(" one two three"));
            Assert.That(chunks[^1].FinishReason, Is.EqualTo("length"));
            Assert.That(_server.Requests[0].MaxCompletionTokens, Is.EqualTo(3));
        }
    }

    [Test]
    public async Task StreamAsync_ReaderStopsEarly_AbortsUpstream()
    {
        // How the runner's cut at max_tokens reaches a server that ignores the limit (Runner/AnswerLimitTests):
        // it stops reading, and leaving the stream must abort the upstream request at once.
        var gate = new FakeOpenAiGate();
        _server.Script = FakeOpenAiScript.Default with
        {
            Tokens = [.. Enumerable.Repeat(" word", 10)],
            IgnoreMaxCompletionTokens = true,
            LastChunkGate = gate,
        };

        var read = new List<string>();
        await foreach (var chunk in OpenAiAdapters.ChatModel(_server.Endpoint).StreamAsync(ChatRequests.Text("Count", maxTokens: 4), CancellationToken.None))
        {
            read.Add(chunk.Text!);
            if (read.Count == 4) break;
        }

        Assert.That(string.Concat(read), Is.EqualTo(" word word word word"));
        await _server.WaitForClientAbortAsync(Patience);
        Assert.That(_server.ClientAbortCount, Is.EqualTo(1));
    }

    [TestCase(400, ChatModelErrorCodes.ModelError)]
    [TestCase(401, ChatModelErrorCodes.ModelError)]
    [TestCase(403, ChatModelErrorCodes.ModelError)]
    [TestCase(404, ChatModelErrorCodes.ModelError)]
    [TestCase(429, ChatModelErrorCodes.ModelUnavailable)]
    [TestCase(500, ChatModelErrorCodes.ModelError)]
    [TestCase(502, ChatModelErrorCodes.ModelUnavailable)]
    [TestCase(503, ChatModelErrorCodes.ModelUnavailable)]
    [TestCase(504, ChatModelErrorCodes.ModelUnavailable)]
    public async Task StreamAsync_ProviderHttpError_MapsToCode(int status, string expectedCode)
    {
        _server.Script = FakeOpenAiScript.Default with { ErrorStatus = status };

        var thrown = await Assert.ThrowsAsync<ChatModelException>(
            () => OpenAiAdapters.ChatModel(_server.Endpoint).CollectAsync(ChatRequests.Text("Hi")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrown.Code, Is.EqualTo(expectedCode));
            Assert.That(_server.Requests, Has.Count.EqualTo(1), "no retries");
        }
    }

    [Test]
    public async Task StreamAsync_ConnectionRefused_ModelUnavailable()
    {
        var closedPort = new Uri($"http://127.0.0.1:{FreePorts.OneThatIsClosed()}/v1");

        var thrown = await Assert.ThrowsAsync<ChatModelException>(
            () => OpenAiAdapters.ChatModel(closedPort).CollectAsync(ChatRequests.Text("Hi")));

        Assert.That(thrown.Code, Is.EqualTo(ChatModelErrorCodes.ModelUnavailable));
    }

    [Test]
    public async Task StreamAsync_UnknownHost_ModelUnavailable()
    {
        var unknownHost = new Uri("http://studyguru-model.invalid/v1");

        var thrown = await Assert.ThrowsAsync<ChatModelException>(
            () => OpenAiAdapters.ChatModel(unknownHost).CollectAsync(ChatRequests.Text("Hi")).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.That(thrown.Code, Is.EqualTo(ChatModelErrorCodes.ModelUnavailable));
    }

    [Test]
    public async Task StreamAsync_ConnectionDropsBeforeAnyToken_ModelError()
    {
        _server.Script = FakeOpenAiScript.Default with { BreakAfterChunks = 0 };

        var thrown = await Assert.ThrowsAsync<ChatModelException>(
            () => OpenAiAdapters.ChatModel(_server.Endpoint).CollectAsync(ChatRequests.Text("Hi")));

        Assert.That(thrown.Code, Is.EqualTo(ChatModelErrorCodes.ModelError));
    }

    [Test]
    public async Task StreamAsync_ConnectionDropsAfterTokens_TokensThenModelError()
    {
        var gate = new FakeOpenAiGate();
        _server.Script = FakeOpenAiScript.Default with { Tokens = ["One", " two", " three"], BreakAfterChunks = 2, BreakGate = gate };
        var received = new List<ChatChunk>();

        var thrown = await Assert.ThrowsAsync<ChatModelException>(async () =>
        {
            await foreach (var chunk in OpenAiAdapters.ChatModel(_server.Endpoint).StreamAsync(ChatRequests.Text("Hi"), CancellationToken.None))
            {
                received.Add(chunk);
                if (received.Count == 2)
                {
                    gate.Open();
                }
            }
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrown.Code, Is.EqualTo(ChatModelErrorCodes.ModelError));
            Assert.That(received.TextOf(), Is.EqualTo("One two"));
        }
    }

    [Test]
    public async Task StreamAsync_MalformedChunk_TokensThenModelError()
    {
        _server.Script = FakeOpenAiScript.Default with { Tokens = ["One", " two"], MalformedChunkAfter = 1 };
        var received = new List<ChatChunk>();

        var thrown = await Assert.ThrowsAsync<ChatModelException>(async () =>
        {
            await foreach (var chunk in OpenAiAdapters.ChatModel(_server.Endpoint).StreamAsync(ChatRequests.Text("Hi"), CancellationToken.None))
            {
                received.Add(chunk);
            }
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrown.Code, Is.EqualTo(ChatModelErrorCodes.ModelError));
            Assert.That(received.TextOf(), Is.EqualTo("One"));
        }
    }

    [Test]
    public async Task StreamAsync_CancelledMidStream_OperationCanceledAndUpstreamAborted()
    {
        var gate = new FakeOpenAiGate();
        _server.Script = FakeOpenAiScript.Default with { Tokens = ["One", " two", " three"], LastChunkGate = gate };
        using var cancellation = new CancellationTokenSource();
        var received = 0;

        await Assert.CatchAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in OpenAiAdapters.ChatModel(_server.Endpoint).StreamAsync(ChatRequests.Text("Hi"), cancellation.Token))
            {
                if (++received == 1)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        using (Assert.EnterMultipleScope())
        {
            await _server.WaitForClientAbortAsync(Patience);
        Assert.That(_server.ClientAbortCount, Is.EqualTo(1));
            Assert.That(gate.IsOpen, Is.False);
        }
    }

    [Test]
    public async Task StreamAsync_CancelledBeforeFirstToken_OperationCanceledAndUpstreamAborted()
    {
        _server.Script = FakeOpenAiScript.Default with { Tokens = ["Only"], LastChunkGate = new FakeOpenAiGate() };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var thrown = await Assert.CatchAsync<OperationCanceledException>(
            () => OpenAiAdapters.ChatModel(_server.Endpoint).CollectAsync(ChatRequests.Text("Hi"), cancellation.Token));

        await _server.WaitForClientAbortAsync(Patience);
        Assert.That(thrown.CancellationToken, Is.EqualTo(cancellation.Token));
    }

    [Test]
    public async Task StreamAsync_CallerStopsReading_UpstreamAbortedWithoutDrainDelay()
    {
        _server.Script = FakeOpenAiScript.Default with { Tokens = ["One", " two", " three"], LastChunkGate = new FakeOpenAiGate() };

        await foreach (var _ in OpenAiAdapters.ChatModel(_server.Endpoint).StreamAsync(ChatRequests.Text("Hi"), CancellationToken.None))
        {
            break;
        }

        // A default handler would first try to drain the response for 2 s, the provider still generating.
        await _server.WaitForClientAbortAsync(TimeSpan.FromSeconds(1.5));
        Assert.That(_server.ClientAbortCount, Is.EqualTo(1));
    }

    [Test]
    public async Task StreamAsync_RequestWithImageAndHistory_BodyCarriesDataUrlAndLimit()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
        var request = new ChatRequest(
            ChatRequests.SystemPrompt,
            [new ChatTurn(MessageRole.User, "Earlier question"), new ChatTurn(MessageRole.Assistant, "Earlier answer")],
            "What does this show?",
            [new ChatImage("user/image-1", "image/png", png.Length)],
            MaxTokens: 321);
        var media = new InMemoryMediaStorage();
        await media.SaveAsync("user/image-1", new MemoryStream(png), CancellationToken.None);

        await OpenAiAdapters.ChatModel(_server.Endpoint, media).CollectAsync(request);

        var sent = _server.Requests.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.ImageUrls, Is.EqualTo(new[] { "data:image/png;base64," + Convert.ToBase64String(png) }));
            Assert.That(sent.MaxCompletionTokens, Is.EqualTo(321));
            Assert.That(sent.IsStreaming, Is.True);
            Assert.That(sent.IncludeUsage, Is.True);
            Assert.That(sent.Model, Is.EqualTo(OpenAiAdapters.Model));
            Assert.That(sent.Authorization, Is.EqualTo("Bearer " + OpenAiAdapters.ApiKey));
            Assert.That(sent.Body, Does.Contain(ChatRequests.SystemPrompt)
                .And.Contain("Earlier question").And.Contain("Earlier answer").And.Contain("What does this show?"));
        }
    }
}
