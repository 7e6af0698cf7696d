using System.IdentityModel.Tokens.Jwt;
using Microsoft.AspNetCore.Authorization;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Accounts;

namespace StudyGuru.WebApi.Auth;

/// <summary>
/// The admin endpoints' requirement: the caller's account has the <c>admin</c> role in the database now.
/// The token's own <c>role</c> claim is not trusted, so a revoked operator's tokens stop working at once and a
/// token minted with the claim opens nothing.
/// </summary>
public sealed class StoredAdminRoleRequirement : IAuthorizationRequirement;

/// <summary>
/// Scoped: it reads the role through the request's repository, on every call, uncached. The repository is resolved
/// only when an admin requirement is checked: authorization builds every handler for every request, and taking the
/// repository in the constructor rented a database context for each of them, admin or not (docs/performance.md,
/// "First event and CPU per token (fifth round)").
/// </summary>
public sealed class StoredAdminRoleHandler(IServiceProvider requestServices) : AuthorizationHandler<StoredAdminRoleRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, StoredAdminRoleRequirement requirement)
    {
        if (!Guid.TryParse(context.User.FindFirst(JwtRegisteredClaimNames.Sub)?.Value, out var userId)) return;
        var cancellationToken = (context.Resource as HttpContext)?.RequestAborted ?? CancellationToken.None;
        var accounts = requestServices.GetRequiredService<IAccountRepository>();
        if (await accounts.GetRoleAsync(userId, cancellationToken) == UserRole.Admin) context.Succeed(requirement);
    }
}
