using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Infrastructure.IntegrationTests.Ai.Offline;
using StudyGuru.Infrastructure.IntegrationTests.Ai.OpenAi;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai.Runner;

/// <summary>
/// The owner keeps its terminal event with the settlement as plain data (no callback for the repository to run), and
/// what a replay builds from that data and the settled balance is the very event the owner's readers saw.
/// </summary>
public sealed class TerminalEventKeptTests
{
    [TestCase("Explain photosynthesis", 10)]
    [TestCase("What is 12*(3+4)?", 2_000)]
    public async Task Run_KeepsWithItsSettlementTheDataAReplayTurnsIntoTheSameTerminalEvent(string message, int maxTokens)
    {
        var run = await RunnerHarness.RunAsync(OfflineModels.Create(), ChatRequests.Text(message, maxTokens));

        Assert.That(run.Kept, Is.Not.Null);
        var replayed = TerminalEvents.FromStored(run.Kept!.OutcomeJson, RunnerHarness.Balance);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(replayed, Is.EqualTo(run.Terminal));
            Assert.That(StoredEventCodec.Serialize(replayed), Is.EqualTo(StoredEventCodec.Serialize(run.Terminal)));
            Assert.That(run.Kept.Sequence, Is.EqualTo(run.TerminalSequence), "kept under the sequence its readers saw");
        }
    }

    [Test]
    public void TerminalEventRecord_CarriesOnlyData()
    {
        var members = typeof(StudyGuru.Application.Abstractions.TerminalEventRecord).GetProperties();

        Assert.That(members.Where(p => typeof(Delegate).IsAssignableFrom(p.PropertyType)).Select(p => p.Name), Is.Empty,
            "the repository is given values, never code of the Application to run inside its transaction");
    }
}
