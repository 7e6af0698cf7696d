using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using StudyGuru.Application.Common.Errors;

namespace StudyGuru.WebApi.Auth;

public static class CurrentUser
{
    /// <summary>The caller's id from the standard <c>sub</c> claim.</summary>
    public static Guid GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? id
            : throw new UnauthorizedException("The token has no valid subject.");
}
