using System.Text;
using FluentValidation;
using StudyGuru.Application.Common.Errors;

namespace StudyGuru.Application.Common.Behaviors;

internal static class RequestValidation
{
    public static async ValueTask ValidateAsync<TMessage>(
        IEnumerable<IValidator<TMessage>> validators, TMessage message, CancellationToken cancellationToken)
    {
        List<FluentValidation.Results.ValidationFailure>? failures = null;
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            if (!result.IsValid) (failures ??= []).AddRange(result.Errors);
        }
        if (failures is null) return;

        var errors = failures
            .GroupBy(f => ToSnakeCasePath(f.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());
        throw new RequestValidationException(errors);
    }

    /// <summary>Errors are keyed by the JSON names the client sent: <c>MediaFiles[0].Id</c> → <c>media_files[0].id</c>.</summary>
    internal static string ToSnakeCasePath(string propertyPath)
    {
        var builder = new StringBuilder(propertyPath.Length + 8);
        for (var i = 0; i < propertyPath.Length; i++)
        {
            var c = propertyPath[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && char.IsLetterOrDigit(propertyPath[i - 1])) builder.Append('_');
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
