using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Infrastructure.IntegrationTests.Caching;

internal static class ConversationSamples
{
    public static IReadOnlyList<ChatTurn> History() =>
    [
        new(MessageRole.User, "What is the derivative of x²? Explain \"step by step\" — ü, 数学"),
        new(MessageRole.Assistant, "The derivative is $2x$.\nStep 1: ..."),
    ];

    public static CachedResponse Response() => new([" The", " answer", " is", " 84."], InputTokens: 120, OutputTokens: 4);
}
