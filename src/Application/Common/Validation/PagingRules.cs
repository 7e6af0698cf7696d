using FluentValidation;

namespace StudyGuru.Application.Common.Validation;

/// <summary>
/// A page number is only valid while the rows it skips, <c>(page - 1) * size</c>, fit a database offset: a
/// larger one overflowed into the first page here and would be an error on SQL Server. Pages past the last
/// one but within the range are simply empty.
/// </summary>
public static class PagingRules
{
    public static IRuleBuilderOptions<T, int> IsAPageNumber<T>(this IRuleBuilder<T, int> rule, Func<T, int> size) =>
        rule.GreaterThanOrEqualTo(1)
            .Must((query, page) => (long)(page - 1) * Math.Max(size(query), 1) <= int.MaxValue)
            .WithMessage("'page' is too large: (page - 1) * size must not exceed 2147483647.");
}
