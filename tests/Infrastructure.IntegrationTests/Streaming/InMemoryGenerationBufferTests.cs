using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;
using StudyGuru.Infrastructure.Streaming;

namespace StudyGuru.Infrastructure.IntegrationTests.Streaming;

public sealed class InMemoryGenerationBufferTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    [Test]
    public async Task Append_NumbersFromOne_AndRefusesAfterTerminal()
    {
        var buffer = new InMemoryGenerationBuffer(Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Conversation);
        Assert.That(await buffer.AppendAsync(new TokenEvent("a", Now), default), Is.EqualTo(1));
        Assert.That(await buffer.AppendAsync(new ErrorEvent("x", ErrorCodes.Internal, Now), default), Is.EqualTo(2));
        Assert.That(await buffer.AppendAsync(new ErrorEvent("again", ErrorCodes.Internal, Now), default), Is.Null);
        Assert.That(await buffer.GetTerminalSequenceAsync(default), Is.EqualTo(2));
    }

    [Test]
    public async Task Read_AfterSequence_GetsTheRestThenLiveEventsUntilTerminal()
    {
        var buffer = new InMemoryGenerationBuffer(Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Simple);
        await buffer.AppendAsync(new TokenEvent("a", Now), default);
        await buffer.AppendAsync(new TokenEvent("b", Now), default);

        var reading = Task.Run(async () =>
        {
            var seen = new List<long>();
            await foreach (var item in buffer.ReadAsync(1, CancellationToken.None)) seen.Add(item.Sequence);
            return seen;
        });
        await Task.Delay(50);
        await buffer.AppendAsync(new TokenEvent("c", Now), default);
        await buffer.AppendAsync(new CompleteEvent("abc", 3, 1, 1, 2, 5, FinishReasons.Stop, false, Now), default);

        Assert.That(await reading.WaitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(await buffer.GetContentAsync(default), Is.EqualTo("abc"));
    }
}
