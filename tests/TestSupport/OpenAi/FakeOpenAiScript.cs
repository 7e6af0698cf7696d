namespace StudyGuru.TestSupport.OpenAi;

/// <summary>
/// What <see cref="FakeOpenAiServer"/> does with the next chat completion requests.
/// Immutable: build a variant with <c>with</c> and assign it to <see cref="FakeOpenAiServer.Script"/>.
/// </summary>
public sealed record FakeOpenAiScript
{
    /// <summary>The default behaviour: two pieces, usage reported, finish reason <c>stop</c>, no delay.</summary>
    public static FakeOpenAiScript Default { get; } = new();

    /// <summary>The text pieces streamed one per chunk; each counts as one completion token.</summary>
    public IReadOnlyList<string> Tokens { get; init; } = ["Hello", " world"];

    /// <summary>Pause before each token chunk (zero for none).</summary>
    public TimeSpan DelayBetweenChunks { get; init; } = TimeSpan.Zero;

    /// <summary>When set, the last token chunk is held back until the test opens this gate.</summary>
    public FakeOpenAiGate? LastChunkGate { get; init; }

    /// <summary>Send the usage chunk when the client asked for it (<c>stream_options.include_usage</c>).</summary>
    public bool SendUsage { get; init; } = true;

    /// <summary>Reported <c>prompt_tokens</c>.</summary>
    public int PromptTokens { get; init; } = 42;

    /// <summary>Reported <c>completion_tokens</c>; null reports the number of token chunks sent.</summary>
    public int? CompletionTokens { get; init; }

    /// <summary>Finish reason of a stream that sent every token; a stream cut by the token limit reports <c>length</c>.</summary>
    public string FinishReason { get; init; } = "stop";

    /// <summary>When set, every request is answered with this HTTP status and an OpenAI-style error body.</summary>
    public int? ErrorStatus { get; init; }

    /// <summary>When set, the connection is aborted after this many token chunks (a stream that breaks).</summary>
    public int? BreakAfterChunks { get; init; }

    /// <summary>When set, the break of <see cref="BreakAfterChunks"/> waits for this gate, so a test can read the chunks before it first.</summary>
    public FakeOpenAiGate? BreakGate { get; init; }

    /// <summary>When set, a chunk that is not JSON is sent after this many token chunks.</summary>
    public int? MalformedChunkAfter { get; init; }

    /// <summary>Keep sending every token even past the request's <c>max_completion_tokens</c>.</summary>
    public bool IgnoreMaxCompletionTokens { get; init; }

    /// <summary>The assistant message content of a non-streaming reply.</summary>
    public string NonStreamingContent { get; init; } = "Hello world";

    /// <summary>When set, a non-streaming reply (such as a title request) is held until the gate opens.</summary>
    public FakeOpenAiGate? NonStreamingGate { get; init; }
}
