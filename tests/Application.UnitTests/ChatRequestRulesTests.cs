using StudyGuru.Application.Chat.Common;
using StudyGuru.Application.Chat.SendChatMessage;

namespace StudyGuru.Application.UnitTests;

/// <summary>What an AI SDK chat request may carry: chat ids, file URLs, triggers.</summary>
public sealed class ChatRequestRulesTests
{
    private readonly SendChatMessageValidator _validator = new();

    private static SendChatMessageQuery Query(string chatId = "k3Jd82mQpX1aZ9Lw", string role = "user", string trigger = "submit-message",
        string? messageId = null, params ChatPartInput[] parts) =>
        new(Guid.NewGuid(), chatId, new ChatMessageInput("m1", role, parts.Length > 0 ? parts : [new ChatPartInput("text", "Hi", null, null)]),
            trigger, messageId);

    private static ChatPartInput File(string url) => new("file", null, "image/png", url);

    [TestCase("k3Jd82mQpX1aZ9Lw", true)]
    [TestCase("3f2c9a1e-8d4b-4f6a-9c1d-2b7e5a9f0c11", true)]
    [TestCase("", false)]
    [TestCase("../etc", false)]
    [TestCase("has space", false)]
    public void ChatId_LettersDigitsDashAndUnderscoreOnly(string chatId, bool valid) =>
        Assert.That(ChatId.IsValid(chatId), Is.EqualTo(valid));

    [Test]
    public void ChatId_Over64Characters_IsRefused() => Assert.That(ChatId.IsValid(new string('a', 65)), Is.False);

    [TestCase("data:image/png;base64,iVBORw0KGgo=", true)]
    [TestCase("https://api.example.com/api/media/3f2c9a1e-8d4b-4f6a-9c1d-2b7e5a9f0c11?expires=1796400000&sig=abc", true)]
    [TestCase("https://example.com/homework.png", false)]
    [TestCase("http://169.254.169.254/latest/meta-data", false)]
    [TestCase("data:image/png,not-base64", false)]
    [TestCase("file:///etc/passwd", false)]
    public void FileUrl_OnlyDataUrlsOrThisServersMediaUrls(string url, bool acceptable) =>
        Assert.That(InlineImage.IsAcceptableUrl(url), Is.EqualTo(acceptable));

    [Test]
    public void DecodeDataUrl_ReturnsTheBytes() =>
        Assert.That(InlineImage.DecodeDataUrl("data:image/png;base64,AQID"), Is.EqualTo(new byte[] { 1, 2, 3 }));

    [Test]
    public void Validate_AFileWithAnHttpUrl_IsRefusedUnderMessages()
    {
        var result = _validator.Validate(Query(parts: [File("https://example.com/a.png"), new ChatPartInput("text", "What is this?", null, null)]));
        Assert.That(result.Errors.Select(e => e.PropertyName), Does.Contain("messages"));
    }

    [Test]
    public void Validate_SubmitWithAMessageId_IsRefused() =>
        Assert.That(_validator.Validate(Query(messageId: "m0")).Errors.Select(e => e.PropertyName), Does.Contain("messageId"));

    [Test]
    public void Validate_RegenerateWithAMessageId_IsAccepted() =>
        Assert.That(_validator.Validate(Query(trigger: "regenerate-message", messageId: "a1")).IsValid, Is.True);

    [Test]
    public void Validate_LastMessageFromTheAssistant_IsRefused() =>
        Assert.That(_validator.Validate(Query(role: "assistant")).IsValid, Is.False);

    [Test]
    public void Validate_SixFiles_IsRefused() =>
        Assert.That(_validator.Validate(Query(parts: Enumerable.Repeat(File("data:image/png;base64,AQID"), 6).ToArray())).IsValid, Is.False);

    [Test]
    public void Join_TextPartsOnly() =>
        Assert.That(ChatMessageText.Join(new ChatMessageInput("m1", "user",
            [new("step-start", null, null, null), new("text", "Line one", null, null), File("data:image/png;base64,AQID"), new("text", "Line two", null, null)])),
            Is.EqualTo("Line one\nLine two"));
}
