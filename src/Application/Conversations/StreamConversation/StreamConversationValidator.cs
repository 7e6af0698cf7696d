using FluentValidation;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.Conversations.StreamConversation;

public sealed class StreamConversationValidator : AbstractValidator<StreamConversationQuery>
{
    public const int MaxMessageLength = 8000;
    /// <summary>stream-simple carries the message in the URL.</summary>
    public const int MaxSimpleMessageLength = 2000;
    public const int MaxMediaFiles = 5;
    public const int MaxTokensLimit = 20_000;

    public StreamConversationValidator()
    {
        RuleFor(q => q.Message)
            .Must((query, message) => !string.IsNullOrWhiteSpace(message) || query.MediaFiles is { Count: > 0 })
            .WithMessage("Please provide a message or attach a file");
        RuleFor(q => q.Message).MaximumLength(MaxMessageLength).When(q => q.Format != GenerationFormat.Simple);
        RuleFor(q => q.Message).MaximumLength(MaxSimpleMessageLength).When(q => q.Format == GenerationFormat.Simple);
        RuleFor(q => q.InteractionId)
            .Must(BeAGuid).When(q => q.InteractionId is not null)
            .WithMessage("'interaction_id' must be a UUID.");
        RuleFor(q => q.MaxTokens)
            .InclusiveBetween(1, MaxTokensLimit).When(q => q.MaxTokens is not null);
        RuleFor(q => q.MediaFiles)
            .Must(files => files is null || files.Count <= MaxMediaFiles)
            .WithMessage($"At most {MaxMediaFiles} files can be attached to one message.");
        RuleFor(q => q.MediaFiles)
            .Empty().When(q => q.Format == GenerationFormat.Simple)
            .WithMessage("stream-simple does not take media files.");
        RuleForEach(q => q.MediaFiles).ChildRules(file =>
        {
            file.RuleFor(f => f.Id).NotEmpty().Must(BeAGuid).WithMessage("'id' must be a UUID.");
        });
        RuleFor(q => q.IdempotencyKey)
            .MaximumLength(200).When(q => q.IdempotencyKey is not null);
    }

    private static bool BeAGuid(string? value) => Guid.TryParse(value, out _);
}
