using FluentValidation;
using StudyGuru.Application.Chat.Common;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.Application.Chat.SendChatMessage;

/// <summary>Errors are keyed by the names the AI SDK's transport sends: <c>id</c>, <c>messages</c>, <c>trigger</c>, <c>messageId</c>.</summary>
public sealed class SendChatMessageValidator : AbstractValidator<SendChatMessageQuery>
{
    public const int MaxMessageIdLength = 200;

    public SendChatMessageValidator()
    {
        RuleFor(q => q.ChatId)
            .Must(ChatId.IsValid).OverridePropertyName("id")
            .WithMessage($"'id' must be 1-{ChatId.MaxLength} characters of letters, digits, '_' and '-'.");
        RuleFor(q => q.Trigger)
            .Must(t => t is ChatTriggers.SubmitMessage or ChatTriggers.RegenerateMessage).OverridePropertyName("trigger")
            .WithMessage($"'trigger' must be '{ChatTriggers.SubmitMessage}' or '{ChatTriggers.RegenerateMessage}'.");
        RuleFor(q => q.MessageId)
            .Null().When(q => q.Trigger == ChatTriggers.SubmitMessage).OverridePropertyName("messageId")
            .WithMessage("Threads do not branch: a message cannot be edited and sent again (submit-message with a 'messageId').");
        RuleFor(q => q.MessageId)
            .MaximumLength(MaxMessageIdLength).OverridePropertyName("messageId");
        RuleFor(q => q.LastMessage)
            .NotNull().OverridePropertyName("messages")
            .WithMessage("'messages' must end with the user's message.");
        When(q => q.LastMessage is not null, () =>
        {
            RuleFor(q => q.LastMessage!.Role)
                .Equal("user").OverridePropertyName("messages")
                .WithMessage("The last message must have role 'user'.");
            RuleFor(q => q.LastMessage!.Id)
                .NotEmpty().MaximumLength(MaxMessageIdLength).OverridePropertyName("messages")
                .WithMessage($"The last message needs an 'id' of at most {MaxMessageIdLength} characters.");
        });
        When(q => q.LastMessage is not null && q.Trigger == ChatTriggers.SubmitMessage, () =>
        {
            RuleFor(q => ChatMessageText.Join(q.LastMessage!))
                .MaximumLength(StreamConversationValidator.MaxMessageLength).OverridePropertyName("messages")
                .WithMessage($"The message is limited to {StreamConversationValidator.MaxMessageLength} characters.");
            RuleFor(q => q.LastMessage!.Parts)
                .Must(parts => parts.Count(p => p.Type == ChatMessageText.FilePart) <= StreamConversationValidator.MaxMediaFiles)
                .OverridePropertyName("messages")
                .WithMessage($"At most {StreamConversationValidator.MaxMediaFiles} files can be attached to one message.");
            RuleFor(q => q.LastMessage!.Parts)
                .Must(parts => parts.Where(p => p.Type == ChatMessageText.FilePart).All(p => InlineImage.IsAcceptableUrl(p.Url)))
                .OverridePropertyName("messages")
                .WithMessage("A file part must carry its image as a data: URL (or one of this server's media URLs): the server never fetches a URL.");
        });
    }
}
