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

    private static readonly string[] TrickyPieces =
    [
        "word", " word", "Word", " Word", "12", "3", " 45", "6789", ".", ",", "!", "?", "\n", "\n\n", " ", "  ", "\t", "'s", "’s", " don", "'t",
        "(", ")", " (", "[x]", "/", " /", "//", "https", "://", "é", " é", "日本", " 日本", "😀", " 😀", "+", " =", "$", " $5", "_", " _", "\r\n",
        "<|endoftext|>", " <|endoftext|>", "-", " -", "—", " —", "x²", " ²", "Ω", " ω",
    ];

    [Test]
    public async Task CountsAdd_WheneverItSaysSo_TheJoinedCountIsTheSum()
    {
        var counter = SharedTokenCounter.Instance;
        var pairs = new List<(string, string)>();
        foreach (var message in new[] { "Explain photosynthesis", "What is 12*(3+4)?", "¿Qué es una derivada?", "Why is the sky blue?", "What is 7/3?" })
        {
            var words = (await Offline.OfflineModels.Create().CollectAsync(ChatRequests.Text(message, 20_000)))
                .Where(chunk => chunk.Text is not null).Select(chunk => chunk.Text!).ToList();
            for (var i = 1; i < words.Count; i++) pairs.Add((words[i - 1], words[i]));
        }
        foreach (var first in TrickyPieces)
            foreach (var second in TrickyPieces)
                pairs.Add((first, second));

        var added = 0;
        foreach (var (first, second) in pairs)
        {
            if (!counter.CountsAdd(first, second)) continue;
            added++;
            Assert.That(counter.CountTokens(first + second), Is.EqualTo(counter.CountTokens(first) + counter.CountTokens(second)),
                $"\"{first}\" + \"{second}\"");
        }
        Assert.That(added, Is.GreaterThan(pairs.Count / 4), "the rule applies to most of an answer's words");
    }
}
