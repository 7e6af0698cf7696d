using System.Diagnostics;
using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Ai.Offline;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai.Offline;

public sealed class OfflineTutorModelTests
{
    private static readonly string[] TutorMessages =
    [
        "hi",
        "Explain photosynthesis",
        "What is the capital of France?",
        "Why is the sky blue during the day but red at sunset, and what does scattering have to do with it?",
        "¿Qué es una derivada? Explícamelo con un ejemplo sencillo, por favor.",
        "   ",
        string.Join(' ', Enumerable.Repeat("Describe the causes of the French Revolution in detail.", 140)),
        "\"Quoted\"   text\nwith\tnewlines",
    ];

    [TestCaseSource(nameof(TutorMessages))]
    public async Task StreamAsync_NonArithmeticMessage_TutorAnswerOf60To120Words(string message)
    {
        var answer = (await OfflineModels.Create().CollectAsync(ChatRequests.Text(message))).TextOf();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(WordCount(answer), Is.InRange(60, 120));
            Assert.That(answer, Does.Contain("1. ").And.Contain("2. ").And.Contain("3. "));
            Assert.That(answer.TrimEnd(), Does.EndWith("?"));
        }
    }

    [Test]
    public async Task StreamAsync_NonArithmeticMessage_RestatesTheTopic()
    {
        var answer = (await OfflineModels.Create().CollectAsync(ChatRequests.Text("Explain photosynthesis?"))).TextOf();

        Assert.That(answer, Does.Contain("\"Explain photosynthesis\""));
    }

    [TestCase("Explain photosynthesis")]
    [TestCase("What is 12*(3+4)?")]
    public async Task StreamAsync_SameRequestTwice_SameChunks(string message)
    {
        var first = await OfflineModels.Create().CollectAsync(ChatRequests.Text(message));
        var second = await OfflineModels.Create().CollectAsync(ChatRequests.Text(message));

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public async Task StreamAsync_DifferentTopics_TemplatesVaryByStableHash()
    {
        var openings = new HashSet<string>();
        foreach (var topic in new[] { "atoms", "cells", "poems", "rivers", "fractions", "volcanoes", "grammar", "magnets" })
        {
            var answer = (await OfflineModels.Create().CollectAsync(ChatRequests.Text(topic))).TextOf();
            openings.Add(answer.Split('"')[0]);
        }

        Assert.That(openings, Has.Count.GreaterThan(1));
    }

    [Test]
    public async Task StreamAsync_Answer_OneWordPerChunkWithLeadingWhitespace()
    {
        var chunks = await OfflineModels.Create().CollectAsync(ChatRequests.Text("Explain photosynthesis"));
        var texts = chunks.Where(chunk => chunk.Text is not null).Select(chunk => chunk.Text!).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(char.IsWhiteSpace(texts[0][0]), Is.False);
            Assert.That(texts.Skip(1), Has.All.Match(@"^\s+\S+$"));
            Assert.That(chunks.Count(chunk => chunk.FinishReason is not null), Is.EqualTo(1));
            Assert.That(chunks[^1], Is.EqualTo(new ChatChunk(null, "stop")));
            Assert.That(chunks.Any(chunk => chunk.Usage is not null), Is.False);
        }
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(500)]
    public async Task StreamAsync_AnswerWordsConfigured_ExactlyThatManyWords(int words)
    {
        var chunks = await OfflineModels.Create(answerWords: words).CollectAsync(ChatRequests.Text("Explain photosynthesis", maxTokens: 20_000));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chunks.Count(chunk => chunk.Text is not null), Is.EqualTo(words));
            Assert.That(WordCount(chunks.TextOf()), Is.EqualTo(words));
            Assert.That(chunks[^1].FinishReason, Is.EqualTo("stop"));
        }
    }

    [Test]
    public async Task StreamAsync_SmallMaxTokens_StreamsTheWholeAnswerForTheRunnerToCut()
    {
        // The adapter does not count: the runner's one count cuts at max_tokens (Runner/AnswerLimitTests).
        var full = (await OfflineModels.Create().CollectAsync(ChatRequests.Text("Explain photosynthesis", 20_000))).TextOf();

        var chunks = await OfflineModels.Create().CollectAsync(ChatRequests.Text("Explain photosynthesis", maxTokens: 1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chunks.TextOf(), Is.EqualTo(full));
            Assert.That(chunks[^1], Is.EqualTo(new ChatChunk(null, "stop")));
        }
    }

    [Test]
    public async Task StreamAsync_TokenDelay_PacesTheWords()
    {
        var stopwatch = Stopwatch.StartNew();

        await OfflineModels.Create(tokenDelayMs: 20, answerWords: 5).CollectAsync(ChatRequests.Text("Explain photosynthesis"));

        Assert.That(stopwatch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(80)));
    }

    [Test]
    public async Task StreamAsync_CancelledWhileDelaying_ThrowsOperationCanceledPromptly()
    {
        using var cancellation = new CancellationTokenSource();
        var model = OfflineModels.Create(tokenDelayMs: 10_000);
        var stopwatch = Stopwatch.StartNew();

        await Assert.CatchAsync<OperationCanceledException>(async () =>
        {
            cancellation.CancelAfter(TimeSpan.FromMilliseconds(50));
            await model.CollectAsync(ChatRequests.Text("Explain photosynthesis"), cancellation.Token);
        });
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task StreamAsync_CancelledWithoutDelay_StopsAtTheNextWord()
    {
        using var cancellation = new CancellationTokenSource();
        var model = OfflineModels.Create(tokenDelayMs: 0, answerWords: 100_000);
        var received = 0;

        var thrown = await Assert.CatchAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in model.StreamAsync(ChatRequests.Text("Explain photosynthesis", 1_000_000), cancellation.Token))
            {
                if (++received == 10)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrown, Is.Not.Null);
            Assert.That(received, Is.EqualTo(10));
        }
    }

    [Test]
    public async Task StreamAsync_TextWithImages_AcknowledgesCountAndTypes()
    {
        var request = ChatRequests.WithImages("Explain photosynthesis", ChatRequests.Png(1), ChatRequests.Jpeg(2));

        var answer = (await OfflineModels.Create().CollectAsync(request)).TextOf();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer, Does.StartWith("I received 2 images (PNG, JPEG)."));
            Assert.That(answer, Does.Contain("\"Explain photosynthesis\""));
        }
    }

    [Test]
    public async Task StreamAsync_ArithmeticWithImage_AcknowledgesAndAnswers()
    {
        var request = ChatRequests.WithImages("What is 6*7?", ChatRequests.Png(1));

        var answer = (await OfflineModels.Create().CollectAsync(request)).TextOf();

        Assert.That(answer, Does.StartWith("I received 1 image (PNG). 6 × 7 = 42."));
    }

    [Test]
    public async Task StreamAsync_ImagesWithoutText_DocumentAnalysisAnswer()
    {
        var request = ChatRequests.WithImages(string.Empty, ChatRequests.Png(1), ChatRequests.Png(2), new ChatImage("test/webp", "image/webp", 1));

        var answer = (await OfflineModels.Create().CollectAsync(request)).TextOf();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer, Does.StartWith("I received 3 images (PNG, WEBP)."));
            Assert.That(answer, Does.Contain("analyse the document"));
            Assert.That(WordCount(answer), Is.InRange(60, 120));
        }
    }

    private static int WordCount(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    [TestCase("Photosynthesis turns light into sugar.", 3)]
    [TestCase("Photosynthesis turns light into sugar.", 12)]
    [TestCase("  two\twords \n", 5)]
    [TestCase("   ", 3)]
    public void AnswerWords_Exactly_TheAnswersWordsRepeatedSingleSpaced(string answer, int count)
    {
        var words = answer.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) words = ["answer"];
        var expected = Enumerable.Range(0, count).Select(i => (i == 0 ? "" : " ") + words[i % words.Length]);

        Assert.That(OfflineAnswerWords.Exactly(answer, count), Is.EqualTo(expected));
    }

    [TestCase("Photosynthesis turns light\ninto  sugar. ")]
    [TestCase("  Leading space\tand tabs")]
    [TestCase("one")]
    [TestCase("")]
    public void AnswerWords_Split_WordsWithTheWhitespaceBeforeThem_JoinedGiveTheAnswer(string answer)
    {
        var pieces = OfflineAnswerWords.Split(answer).ToList();

        Assert.That(string.Concat(pieces), Is.EqualTo(answer.Trim()));
        Assert.That(pieces, Has.All.Matches<string>(p => p!.Trim().Length > 0 && !p.Trim().Any(char.IsWhiteSpace)));
        Assert.That(pieces.Count, Is.EqualTo(answer.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length));
    }
}
