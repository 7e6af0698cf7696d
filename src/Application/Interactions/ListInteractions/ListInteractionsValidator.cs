using FluentValidation;

namespace StudyGuru.Application.Interactions.ListInteractions;

public sealed class ListInteractionsValidator : AbstractValidator<ListInteractionsQuery>
{
    public const int MaxSize = 100;

    public ListInteractionsValidator()
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.Size).InclusiveBetween(1, MaxSize);
    }
}
