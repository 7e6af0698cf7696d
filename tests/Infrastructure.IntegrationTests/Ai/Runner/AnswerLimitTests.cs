using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Accounts;
using StudyGuru.Infrastructure.IntegrationTests.Ai.Offline;
using StudyGuru.Infrastructure.IntegrationTests.Ai.OpenAi;
using StudyGuru.TestSupport.OpenAi;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai.Runner;

/// <summary>
/// The one token count (docs/domain-rules.md, "Tokens"): the runner cuts an answer at max_tokens, and what it
/// streamed is what is counted and charged, whichever model adapter produced it (the adapters do not count).
/// </summary>
public sealed class AnswerLimitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [TestCase("Explain photosynthesis", 10)]
    [TestCase("Explain photosynthesis", 37)]
    [TestCase("What is 99999999999999999999 * 99999999999999999999?", 10)]
    public async Task OfflineModel_MaxTokensReached_StopsWithLengthWithinLimitAndChargesWhatWasStreamed(string message, int maxTokens)
    {
        var run = await RunnerHarness.RunAsync(OfflineModels.Create(), ChatRequests.Text(message, maxTokens));
        var full = (await OfflineModels.Create().CollectAsync(ChatRequests.Text(message, 20_000))).TextOf();
        var complete = (CompleteEvent)run.Terminal;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(SharedTokenCounter.Instance.CountTokens(run.Text), Is.InRange(1, maxTokens));
            Assert.That(full, Does.StartWith(run.Text));
            Assert.That(complete.FinishReason, Is.EqualTo("length"));
            Assert.That(complete.Content, Is.EqualTo(run.Text));
            Assert.That(complete.OutputTokens, Is.EqualTo(SharedTokenCounter.Instance.CountTokens(run.Text)));
            Assert.That(complete.PointsCost, Is.EqualTo(PointsPricing.Price(RunnerHarness.InputEstimate + complete.OutputTokens, complete.OutputTokens)));
            Assert.That(run.Settlement.ChargedPoints, Is.EqualTo(complete.PointsCost));
            Assert.That(run.Settlement.Answer.Content, Is.EqualTo(run.Text));
        }
    }

    [TestCase("Explain photosynthesis")]
    [TestCase("What is 12*(3+4)?")]
    public async Task OfflineModel_EveryLimit_StopsOnlyAtTheWordThatWouldPassIt(string message)
    {
        var full = await OfflineModels.Create().CollectAsync(ChatRequests.Text(message, 20_000));
        var words = full.Where(chunk => chunk.Text is not null).Select(chunk => chunk.Text!).ToList();
        var fullTokens = SharedTokenCounter.Instance.CountTokens(full.TextOf());

        for (var limit = 1; limit <= fullTokens; limit++)
        {
            var run = await RunnerHarness.RunAsync(OfflineModels.Create(), ChatRequests.Text(message, limit));
            var sentTokens = SharedTokenCounter.Instance.CountTokens(run.Text);

            Assert.That(sentTokens, Is.LessThanOrEqualTo(limit), $"limit {limit}");
            Assert.That(((CompleteEvent)run.Terminal).OutputTokens, Is.EqualTo(sentTokens), $"limit {limit}: the count charged");
            if (run.Tokens.Count < words.Count)
            {
                var withNext = SharedTokenCounter.Instance.CountTokens(run.Text + words[run.Tokens.Count]);
                Assert.That(withNext, Is.GreaterThan(limit), $"limit {limit}: the next word would have fitted");
            }
        }
    }

    [Test]
    public async Task OfflineModel_LimitBelowFirstWord_NoTokenLengthAndNothingCharged()
    {
        var run = await RunnerHarness.RunAsync(OfflineModels.Create(), ChatRequests.Text("What is 99999999999999999999 + 1?", maxTokens: 1));
        var complete = (CompleteEvent)run.Terminal;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Tokens, Is.Empty);
            Assert.That(complete.FinishReason, Is.EqualTo("length"));
            Assert.That(complete.OutputTokens, Is.Zero);
            Assert.That(run.Settlement.ChargedPoints, Is.Zero);
        }
    }

    [Test]
    public async Task OfflineModel_LimitLargeEnough_EndsWithStop()
    {
        var request = ChatRequests.Text("Explain photosynthesis");
        var full = (await OfflineModels.Create().CollectAsync(request)).TextOf();
        var exact = SharedTokenCounter.Instance.CountTokens(full);

        var run = await RunnerHarness.RunAsync(OfflineModels.Create(), request with { MaxTokens = exact });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Text, Is.EqualTo(full));
            Assert.That(((CompleteEvent)run.Terminal).FinishReason, Is.EqualTo("stop"));
            Assert.That(((CompleteEvent)run.Terminal).OutputTokens, Is.EqualTo(exact));
        }
    }

    [Test]
    public async Task OpenAiModel_ServerIgnoresLimit_CutAtLimitChargedForWhatStreamedAndUpstreamAborted()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Script = FakeOpenAiScript.Default with
        {
            Tokens = [.. Enumerable.Repeat(" word", 10)],
            IgnoreMaxCompletionTokens = true,
            SendUsage = false,
            LastChunkGate = new FakeOpenAiGate(),
        };

        var run = await RunnerHarness.RunAsync(OpenAiAdapters.ChatModel(server.Endpoint), ChatRequests.Text("Count", maxTokens: 4));
        var complete = (CompleteEvent)run.Terminal;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Text, Is.EqualTo(" word word word word"));
            Assert.That(complete.FinishReason, Is.EqualTo("length"));
            Assert.That(complete.OutputTokens, Is.EqualTo(4));
            Assert.That(run.Settlement.ChargedPoints, Is.EqualTo(PointsPricing.Price(RunnerHarness.InputEstimate + 4, 4)));
        }
        await server.WaitForClientAbortAsync(Patience);
        Assert.That(server.ClientAbortCount, Is.EqualTo(1));
    }
}
