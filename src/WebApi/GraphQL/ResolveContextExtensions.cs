using GraphQL;
using Mediator;
using StudyGuru.Application.Common.Errors;
using StudyGuru.WebApi.Auth;

namespace StudyGuru.WebApi.GraphQL;

/// <summary>What every resolver needs: the request's mediator, the caller, and ids parsed like REST route ids.</summary>
public static class ResolveContextExtensions
{
    public static IMediator Mediator(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<IMediator>();

    public static Guid UserId(this IResolveFieldContext context) => context.User!.GetUserId();

    public static Guid IdArgument(this IResolveFieldContext context, string name) =>
        Guid.TryParse(context.GetArgument<string>(name), out var id)
            ? id
            : throw RequestValidationException.For(name, "Not a valid id.");

    /// <summary>Times are ISO 8601 strings in UTC.</summary>
    public static string Iso8601(this DateTime time) =>
        DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
