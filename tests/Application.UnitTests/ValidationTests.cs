using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.UnitTests;

public sealed class ValidationTests
{
    private readonly StreamConversationValidator _validator = new();

    private static StreamConversationQuery Query(string? message = "hi", int? maxTokens = null, GenerationFormat format = GenerationFormat.Conversation,
        IReadOnlyList<MediaFileInput>? media = null, string? interactionId = null) =>
        new(Guid.NewGuid(), interactionId, message, media, maxTokens, format);

    [Test]
    public void Validate_MessageOrMediaRequired()
    {
        Assert.That(_validator.Validate(Query(message: " ")).IsValid, Is.False);
        Assert.That(_validator.Validate(Query(message: null, media: [new MediaFileInput(Guid.NewGuid().ToString())])).IsValid, Is.True);
    }

    [TestCase(GenerationFormat.Conversation, 8000, true)]
    [TestCase(GenerationFormat.Conversation, 8001, false)]
    [TestCase(GenerationFormat.Simple, 2000, true)]
    [TestCase(GenerationFormat.Simple, 2001, false)]
    public void Validate_MessageLengthPerEndpoint(GenerationFormat format, int length, bool valid) =>
        Assert.That(_validator.Validate(Query(message: new string('x', length), format: format)).IsValid, Is.EqualTo(valid));

    [TestCase(1, true)]
    [TestCase(20000, true)]
    [TestCase(0, false)]
    [TestCase(20001, false)]
    public void Validate_MaxTokensRange(int maxTokens, bool valid) =>
        Assert.That(_validator.Validate(Query(maxTokens: maxTokens)).IsValid, Is.EqualTo(valid));

    [Test]
    public void Validate_SixMediaFiles_Refused() =>
        Assert.That(_validator.Validate(Query(media: Enumerable.Range(0, 6).Select(_ => new MediaFileInput(Guid.NewGuid().ToString())).ToList())).IsValid, Is.False);

    [Test]
    public void Validate_MalformedIds_Refused()
    {
        Assert.That(_validator.Validate(Query(interactionId: "123")).IsValid, Is.False);
        Assert.That(_validator.Validate(Query(media: [new MediaFileInput("abc")])).IsValid, Is.False);
    }

    [TestCase("MaxTokens", "max_tokens")]
    [TestCase("MediaFiles[0].Id", "media_files[0].id")]
    [TestCase("Message", "message")]
    public void ToSnakeCasePath_UsesTheJsonNames(string path, string expected) =>
        Assert.That(Common.Behaviors.RequestValidation.ToSnakeCasePath(path), Is.EqualTo(expected));
}
