using FluentValidation;

namespace StudyGuru.Application.Interactions.ListMessages;

public sealed class ListMessagesValidator : AbstractValidator<ListMessagesQuery>
{
    public const int MaxLimit = 100;

    public ListMessagesValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, MaxLimit);
        RuleFor(q => q.Offset).GreaterThanOrEqualTo(0);
    }
}
