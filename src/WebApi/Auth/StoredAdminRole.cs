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
/// Scoped: it reads the role through the request's repository, on every call, uncached. The repository is taken
/// from the request's services only when an admin endpoint asks: the authorization middleware creates every handler
/// for every authorized request, and a repository taken in the constructor leased a database context that a stream
/// then held until it ended, one per open stream (docs/performance.md, "Start and settlement allocations").
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
