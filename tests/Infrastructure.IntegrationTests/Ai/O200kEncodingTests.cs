using System.Text;
using Microsoft.ML.Tokenizers;
using StudyGuru.Application.Conversations.Context;
using StudyGuru.Infrastructure.Ai.Tokens;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai;

/// <summary>
/// The project's o200k count against the tokenizer library's, which it replaced in production to keep ~4 MB of
/// vocabulary instead of ~45 MB: every price and every max_tokens cut depends on the two agreeing exactly.
/// </summary>
public sealed class O200kEncodingTests
{
    private static readonly Lazy<O200kVocabulary> Vocabulary = new(O200kVocabulary.Load);
    private static readonly Lazy<TiktokenTokenizer> Library = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    private static O200kEncoding Encoding => new(Vocabulary.Value);

    [Test]
    public void Vocabulary_EveryToken_IsFoundAtItsRank()
    {
        var vocabulary = Vocabulary.Value;
        Assert.That(vocabulary.Count, Is.EqualTo(199_998));
        for (var rank = 0; rank < vocabulary.Count; rank++)
        {
            if (!vocabulary.TryGetRank(vocabulary.Token(rank), out var found) || found != rank)
                Assert.Fail($"token {rank} was found at {found}");
        }
        Assert.That(vocabulary.TryGetRank("zzzzzzzzqqqqqq"u8, out _), Is.False);
    }

    [Test]
    public void Vocabulary_RanksAreTheLibrarysIds()
    {
        var vocabulary = Vocabulary.Value;
        var compared = 0;
        for (var rank = 0; rank < vocabulary.Count; rank += 7)
        {
            var text = System.Text.Encoding.UTF8.GetString(vocabulary.Token(rank));
            if (text.Contains('\uFFFD')) continue;
            var ids = Library.Value.EncodeToIds(text, considerPreTokenization: false, considerNormalization: false);
            Assert.That(ids, Is.EqualTo(new[] { rank }), $"token {rank} \"{text}\"");
            compared++;
        }
        Assert.That(compared, Is.GreaterThan(20_000));
    }

    private static readonly string[] Texts =
    [
        "hello world", "Hello, world!", " ", "  ", "\n", "\n\n\n", " \n ", "\t\t", "\r\n", "a", "I'm", "I'M", "they'll", "THEY'LL", "don't",
        "The derivative of x squared is 2x.", "12*(3+4) = 84", "1234567890", "3.14159", "-42", "1,000,000", "x² + y² = z²",
        "https://example.com/a/b?c=d#e", "C:\\path\\to\\file.txt", "<div class=\"a\">b</div>", "func(a, b) { return a+b; }",
        "¿Qué es una derivada?", "Ça va très bien, merci.", "Größenwahn", "日本語のテキストです。", "中文文本，包含标点。", "한국어 문장입니다.",
        "Привет, мир!", "مرحبا بالعالم", "नमस्ते दुनिया", "שלום עולם", "ελληνικά γράμματα", "ไทย ภาษา",
        "😀😃😄 emoji 👩‍👩‍👧 family", "🇫🇷🇩🇪", "e\u0301\u0301 combining", "\u200b zero width", "tab\tseparated\tvalues",
        "lone \ud800 surrogate", "\udc00 low first", "end \ud83d", "replacement \uFFFD char", "\uFFFD", "\u0000 nul \u0001",
        "ALL CAPS SENTENCE WITH WORDS", "camelCaseIdentifierName", "snake_case_identifier_name", "...!!!???", "—–-", "''\"\"``",
        "    indented code\n        more", "line one\nline two\r\nline three\rfour", "trailing spaces   ", "   leading spaces",
        TutorPrompt.System,
    ];

    [Test]
    public void CountTokens_VariedTexts_AgreeWithTheLibrary()
    {
        var encoding = Encoding;
        foreach (var text in Texts)
            Assert.That(encoding.CountTokens(text), Is.EqualTo(Library.Value.CountTokens(text)), Describe(text));
    }

    [Test]
    public void CountTokens_RandomTexts_AgreeWithTheLibrary()
    {
        var encoding = Encoding;
        var random = new Random(20261205);
        for (var i = 0; i < 20_000; i++)
        {
            var text = RandomText(random, random.Next(1, i % 100 == 0 ? 2_000 : 120));
            var expected = Library.Value.CountTokens(text);
            var actual = encoding.CountTokens(text);
            if (actual != expected) Assert.Fail($"{Describe(text)}: {actual} tokens, the library {expected}");
        }
    }

    [TestCase(200)]
    [TestCase(3_000)]
    [TestCase(20_000)]
    public void CountTokens_LongWords_AgreeWithTheLibrary(int length)
    {
        var encoding = Encoding;
        var random = new Random(length);
        var letters = "abcdefghijklmnopqrstuvwxyzéàü";
        string[] words =
        [
            new('a', length),
            new string(Enumerable.Range(0, length).Select(_ => letters[random.Next(letters.Length)]).ToArray()),
            string.Concat(Enumerable.Repeat("anti", length / 4)),
            string.Concat(Enumerable.Repeat("日本", length / 2)),
            string.Concat(Enumerable.Range(0, length / 2).Select(_ => Emoji[random.Next(Emoji.Length)])),
            new string('!', length),
        ];
        foreach (var word in words)
            Assert.That(encoding.CountTokens(word), Is.EqualTo(Library.Value.CountTokens(word)), Describe(word));
    }

    private static readonly string[] Emoji = ["😀", "🙂", "🚀"];

    [TestCase("<|endoftext|>")]
    [TestCase("<|endofprompt|>")]
    [TestCase("before<|endoftext|>after")]
    [TestCase("a <|endofprompt|> b <|endoftext|> c")]
    [TestCase("<|endoftext|><|endoftext|>")]
    [TestCase("  <|endoftext|>  \n")]
    [TestCase("<|endoftext|")]
    [TestCase("<|endofprompt|><|endoftext|>x")]
    public void CountTokens_SpecialTokens_CountOneEach(string text)
    {
        // A tokenizer of its own: the library counts a special token as one only while it is in its bounded cache.
        var library = TiktokenTokenizer.CreateForEncoding("o200k_base");
        Assert.That(Encoding.CountTokens(text), Is.EqualTo(library.CountTokens(text)), Describe(text));
    }

    [Test]
    public void Merge_ScanningAndQueue_AgreeOnEveryShortPiece()
    {
        var vocabulary = Vocabulary.Value;
        var random = new Random(7);
        Span<byte> piece = stackalloc byte[128];
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(2, 129);
            // Pieces made of whole tokens (so that merges happen) or of random bytes.
            var filled = 0;
            while (filled < length)
            {
                if (random.Next(4) == 0)
                {
                    piece[filled++] = (byte)random.Next(256);
                    continue;
                }
                var token = vocabulary.Token(random.Next(vocabulary.Count));
                var take = Math.Min(token.Length, length - filled);
                token[..take].CopyTo(piece[filled..]);
                filled += take;
            }
            var bytes = piece[..length];
            var scanned = BytePairMerge.CountByScanning(bytes, vocabulary);
            var queued = BytePairMerge.CountWithQueue(bytes, vocabulary);
            if (scanned != queued) Assert.Fail($"{Convert.ToHexString(bytes)}: scanning {scanned}, queue {queued}");
        }
    }

    private static string RandomText(Random random, int length)
    {
        string[] alphabet =
        [
            "a", "e", "t", "n", "s", "r", "h", "T", "A", "Q", " ", " ", " ", "  ", "\n", "\n\n", "\r\n", "\t", "0", "7", "42", "'", "'s", "'LL",
            ".", ",", "!", "?", "(", ")", "/", "\\", "-", "_", "=", "+", "*", "\"", "<", ">", "|", "{", "}", "é", "ß", "Ω", "ж", "日", "本",
            "한", "ع", "ह", "\u0301", "😀", "👍🏽", "\u200d", "\ud800", "\udfff", "\uFFFD", "ǅ", "ʰ", "½", "²", "٣", "\u00a0", "\u3000",
        ];
        var builder = new StringBuilder(length);
        while (builder.Length < length) builder.Append(alphabet[random.Next(alphabet.Length)]);
        return builder.ToString();
    }

    private static string Describe(string text) =>
        "\"" + string.Concat(text.Take(80).Select(c => c is >= ' ' and < '\u007f' ? c.ToString() : $"\\u{(int)c:x4}")) + (text.Length > 80 ? "…" : "") + "\"";
}
