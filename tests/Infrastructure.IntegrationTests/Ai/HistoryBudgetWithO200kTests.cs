using StudyGuru.Application.Conversations.Context;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai;

/// <summary>The history window at the exact o200k budget boundary, with the real tokenizer.</summary>
public sealed class HistoryBudgetWithO200kTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 8, 0, 0, DateTimeKind.Utc);

    [Test]
    public void TrimToBudget_AtAndOneBelowTheO200kTotal_KeepsOrDropsTheOldestMessage()
    {
        var counter = new StudyGuru.Infrastructure.Ai.O200kTokenCounter();
        var messages = new List<Message>
        {
            Message.FromUser(Guid.Empty, "Solve x^2 - 5x + 6 = 0 and explain each step.", [], Now),
            Message.FromAssistant(Guid.Empty, Guid.NewGuid(),
                new GenerationOutcome(MessageStatus.Completed, "Factor it: (x - 2)(x - 3) = 0, so x = 2 or x = 3.", 0, 0, 0, null), Now),
            Message.FromUser(Guid.Empty, "Why does factoring work here?", [], Now),
        };
        var total = messages.Sum(m => counter.CountTokens(m.Content));

        var atBudget = ConversationContextBuilder.TrimToBudget(messages, total, counter);
        var oneBelow = ConversationContextBuilder.TrimToBudget(messages, total - 1, counter);

        Assert.That(atBudget, Has.Count.EqualTo(3));
        Assert.That(oneBelow, Has.Count.EqualTo(2));
        Assert.That(oneBelow[0].Content, Does.StartWith("Factor it"));
        Assert.That(oneBelow.Sum(t => counter.CountTokens(t.Content)), Is.LessThanOrEqualTo(total - 1));
    }
}
