namespace StudyGuru.Infrastructure.IntegrationTests.Ai;

public sealed class O200kTokenCounterTests
{
    [TestCase("hello world", 2)]
    [TestCase("Hello, world!", 4)]
    [TestCase(" ", 1)]
    public void CountTokens_KnownText_ReturnsO200kCount(string text, int expected) =>
        Assert.That(SharedTokenCounter.Instance.CountTokens(text), Is.EqualTo(expected));

    [TestCase("")]
    [TestCase(null)]
    public void CountTokens_EmptyOrNull_ReturnsZero(string? text) =>
        Assert.That(SharedTokenCounter.Instance.CountTokens(text!), Is.Zero);

    [Test]
    public void CountTokens_LongerText_GrowsWithLength()
    {
        var once = SharedTokenCounter.Instance.CountTokens("The derivative of x squared is 2x.");
        var twice = SharedTokenCounter.Instance.CountTokens("The derivative of x squared is 2x. The derivative of x squared is 2x.");

        Assert.That(twice, Is.EqualTo(once * 2));
    }
}
