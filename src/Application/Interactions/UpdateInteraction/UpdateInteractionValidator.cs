using FluentValidation;

namespace StudyGuru.Application.Interactions.UpdateInteraction;

public sealed class UpdateInteractionValidator : AbstractValidator<UpdateInteractionCommand>
{
    /// <summary>The column's length: a longer title would fail in the database instead of here.</summary>
    public const int MaxTitleLength = 200;

    public UpdateInteractionValidator()
    {
        RuleFor(c => c.Title)
            .NotNull().When(c => c.IsPinned is null).WithMessage("Provide a title or is_pinned.");
        RuleFor(c => c.Title)
            .Must(title => !string.IsNullOrWhiteSpace(title)).When(c => c.Title is not null).WithMessage("A title cannot be blank.")
            .Must(title => title!.Trim().Length <= MaxTitleLength).When(c => c.Title is not null)
            .WithMessage($"A title has at most {MaxTitleLength} characters.");
    }
}
