using System.Runtime.CompilerServices;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Infrastructure.IntegrationTests.Ai.Offline;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai.Runner;

/// <summary>
/// The runner's two time limits (the first-token timeout, <c>Ai:TimeoutSeconds</c>, and the longest answer,
/// <c>Streaming:MaxDurationSeconds</c>), kept as one deadline on one cancellation source.
/// </summary>
public sealed class TimeLimitTests
{
    [Test]
    public async Task NoTokenBeforeTheFirstTokenTimeout_EndsWithTimeoutErrorAndChargesNothing()
    {
        var run = await RunnerHarness.RunAsync(new SilentModel(), ChatRequests.Text("Explain photosynthesis", 100),
            new AiOptions { TimeoutSeconds = 1 }, new StreamingOptions { MaxDurationSeconds = 30 });

        var error = (ErrorEvent)run.Terminal;
        Assert.That(error.Code, Is.EqualTo(ErrorCodes.Timeout));
        Assert.That(error.Error, Does.Contain("did not start answering"));
        Assert.That(run.Tokens, Is.Empty);
        Assert.That(run.Settlement.ChargedPoints, Is.Zero);
    }

    [Test]
    public async Task NoTokenAndTheLongestDurationIsShorter_EndsAsTooLong()
    {
        var run = await RunnerHarness.RunAsync(new SilentModel(), ChatRequests.Text("Explain photosynthesis", 100),
            new AiOptions { TimeoutSeconds = 30 }, new StreamingOptions { MaxDurationSeconds = 1 });

        var error = (ErrorEvent)run.Terminal;
        Assert.That(error.Code, Is.EqualTo(ErrorCodes.Timeout));
        Assert.That(error.Error, Does.Contain("took too long"));
        Assert.That(run.Settlement.ChargedPoints, Is.Zero);
    }

    [Test]
    public async Task TokensKeepComing_FirstTokenTimeoutNoLongerApplies_StoppedAtTheLongestDurationAndCharged()
    {
        // A word every 200 ms: past the one-second first-token timeout, stopped by the two-second longest duration.
        var run = await RunnerHarness.RunAsync(OfflineModels.Create(tokenDelayMs: 200, answerWords: 200), ChatRequests.Text("Explain photosynthesis", 4_000),
            new AiOptions { TimeoutSeconds = 1 }, new StreamingOptions { MaxDurationSeconds = 2 });

        var complete = (CompleteEvent)run.Terminal;
        Assert.That(complete.FinishReason, Is.EqualTo(FinishReasons.Cancelled));
        Assert.That(run.Tokens.Count, Is.InRange(6, 11), "words streamed within two seconds");
        Assert.That(run.Settlement.ChargedPoints, Is.EqualTo(complete.PointsCost).And.GreaterThan(0));
    }

    /// <summary>A model that never answers until it is cancelled.</summary>
    private sealed class SilentModel : IChatModel
    {
        public string Kind => "silent";
        public bool IsReal => false;

        public async IAsyncEnumerable<ChatChunk> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            yield break;
        }
    }
}
