using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace StudyGuru.WebApi.Errors;

/// <summary>
/// Model-binding failures (malformed JSON, wrong types, unknown fields, an empty body) as a 400 whose
/// <c>errors</c> are keyed by the JSON field names the client sent, not by .NET paths.
/// </summary>
public static partial class InvalidModelStateProblems
{
    public static IActionResult Create(ActionContext context)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (key, entry) in context.ModelState)
        {
            if (entry.ValidationState != ModelValidationState.Invalid) continue;
            foreach (var error in entry.Errors)
            {
                var message = string.IsNullOrEmpty(error.ErrorMessage) ? "The value is not valid." : error.ErrorMessage;
                var field = FieldName(key, message);
                errors[field] = [.. errors.GetValueOrDefault(field, []), Clean(message)];
            }
        }
        var problem = new ProblemDetails
        {
            Status = 400,
            Title = "One or more validation errors occurred.",
            Type = ProblemWriter.TypeFor(400),
            Instance = context.HttpContext.Request.Path,
        };
        problem.Extensions["errors"] = errors;
        return new ObjectResult(problem) { StatusCode = 400, ContentTypes = { "application/problem+json" } };
    }

    private static string FieldName(string key, string message)
    {
        var unknown = UnknownProperty().Match(message);
        if (unknown.Success) return unknown.Groups[1].Value;
        var nullElement = NullElement().Match(message);
        if (nullElement.Success)
        {
            // The key is the path of the object that holds the array ("$" for the body itself).
            var parent = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..] + "." : "";
            return parent + nullElement.Groups[1].Value;
        }
        var trimmed = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..] : key.TrimStart('$');
        // The parameter name (e.g. "request") stands for the whole body.
        return trimmed.Length == 0 || !trimmed.Contains('_') && !trimmed.Contains('.') && char.IsLower(trimmed[0]) && IsBodyParameter(trimmed)
            ? "body"
            : trimmed;
    }

    private static bool IsBodyParameter(string name) => name is "request" or "body" or "input";

    /// <summary>System.Text.Json messages name .NET types; keep the first sentence and drop type names.</summary>
    private static string Clean(string message)
    {
        var unknown = UnknownProperty().Match(message);
        if (unknown.Success) return $"'{unknown.Groups[1].Value}' is not a known field.";
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        return DotNetType().Replace(text, "the expected type");
    }

    [GeneratedRegex("^The array '([^']+)' has a null element")]
    private static partial Regex NullElement();

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex(@"System\.[A-Za-z0-9_.`\[\]]+|StudyGuru\.[A-Za-z0-9_.`\[\]]+")]
    private static partial Regex DotNetType();
}
