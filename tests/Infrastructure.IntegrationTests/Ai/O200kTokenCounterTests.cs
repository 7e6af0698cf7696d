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

    [TestCase("12", "3")]
    [TestCase(".", "\n")]
    [TestCase(" word", " word")]
    [TestCase("", " word")]
    [TestCase("", "")]
    [TestCase("The derivative of x squared", " is 2x, as the power rule says.")]
    public void CountTokensOfTwo_AnyPieces_CountsThemJoined(string first, string second)
    {
        var counter = SharedTokenCounter.Instance;

        // Asked twice: the first answer may come from the tokenizer, the second from the remembered counts.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(counter.CountTokens(first, second), Is.EqualTo(counter.CountTokens(first + second)));
            Assert.That(counter.CountTokens(first, second), Is.EqualTo(counter.CountTokens(first + second)));
        }
    }
}
