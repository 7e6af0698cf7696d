using Moq;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.Context;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Application.UnitTests;

public sealed class HistoryWindowTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 8, 0, 0, DateTimeKind.Utc);

    private static ITokenCounter WordCounter()
    {
        var counter = new Mock<ITokenCounter>();
        counter.Setup(c => c.CountTokens(It.IsAny<string>()))
            .Returns((string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        return counter.Object;
    }

    private static Message Answer(string text, MessageStatus status) =>
        Message.FromAssistant(Guid.Empty, Guid.NewGuid(), new GenerationOutcome(status, text, 0, 0, 0, null), Now);

    [Test]
    public void TrimToBudget_SkipsFailedMessagesAndDropsOldestWholeMessages()
    {
        var messages = new List<Message>
        {
            Message.FromUser(Guid.Empty, "one two three", [], Now),
            Answer("four five", MessageStatus.Completed),
            Answer("broken answer text", MessageStatus.Failed),
            Message.FromUser(Guid.Empty, "six seven", [], Now),
            Answer("eight", MessageStatus.Cancelled),
        };

        var fits = ConversationContextBuilder.TrimToBudget(messages, budget: 8, WordCounter());
        var trimmed = ConversationContextBuilder.TrimToBudget(messages, budget: 7, WordCounter());

        Assert.That(fits.Select(t => t.Content), Is.EqualTo(new[] { "one two three", "four five", "six seven", "eight" }));
        Assert.That(trimmed.Select(t => t.Content), Is.EqualTo(new[] { "four five", "six seven", "eight" }));
        Assert.That(trimmed[0].Role, Is.EqualTo(MessageRole.Assistant));
    }

    [Test]
    public void TrimToBudget_NothingFits_IsEmpty()
    {
        var messages = new List<Message> { Message.FromUser(Guid.Empty, "a b c d", [], Now) };
        Assert.That(ConversationContextBuilder.TrimToBudget(messages, budget: 3, WordCounter()), Is.Empty);
    }
}
