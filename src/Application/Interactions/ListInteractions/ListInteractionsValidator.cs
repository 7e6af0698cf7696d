using FluentValidation;
using StudyGuru.Application.Common.Validation;

namespace StudyGuru.Application.Interactions.ListInteractions;

public sealed class ListInteractionsValidator : AbstractValidator<ListInteractionsQuery>
{
    public const int MaxSize = 100;

    public ListInteractionsValidator()
    {
        RuleFor(q => q.Page).IsAPageNumber(q => q.Size);
        RuleFor(q => q.Size).InclusiveBetween(1, MaxSize);
    }
}
