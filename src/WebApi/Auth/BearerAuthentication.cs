using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Infrastructure.Identity;
using StudyGuru.WebApi.Errors;

namespace StudyGuru.WebApi.Auth;

/// <summary>
/// HS256 bearer tokens: issuer, audience, lifetime (no clock skew) and signature are always checked, and
/// the user must still exist. GET stream endpoints also take <c>?access_token=</c> because a browser's
/// EventSource cannot send headers.
/// </summary>
public static class BearerAuthentication
{
    public const string AdminPolicy = "admin";
    private static readonly TimeSpan UserExistsCacheTime = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddBearerAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>, SigningKeyBytes>((bearer, jwt, key) =>
            {
                bearer.MapInboundClaims = false;
                // Nothing reads the token back from the request (GetTokenAsync): kept, it was one more copy of the raw
                // token, in a dictionary of its own, for as long as each stream stays open (docs/performance.md,
                // "Memory per open stream (eighth round)").
                bearer.SaveToken = false;
                // The same checks, without repeating them for a token accepted before (AcceptedTokenCache).
                bearer.TokenHandlers.Clear();
                bearer.TokenHandlers.Add(new AcceptedTokenCache { MapInboundClaims = false });
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidIssuer = jwt.Value.Issuer,
                    ValidateAudience = true,
                    ValidAudience = jwt.Value.Audience,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    ClockSkew = TimeSpan.Zero,
                    ValidateIssuerSigningKey = true,
                    IssuerSigningKey = new SymmetricSecurityKey(key.Value),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = JwtRegisteredClaimNames.Sub,
                    RoleClaimType = RoleClaim,
                };
                bearer.Events = new JwtBearerEvents
                {
                    OnMessageReceived = AcceptQueryTokenOnStreamGets,
                    OnTokenValidated = RequireExistingUser,
                    OnChallenge = WriteUnauthorizedProblem,
                    OnForbidden = context => ProblemWriter.WriteAsync(context.HttpContext, 403, "Forbidden",
                        "This operation needs the admin role."),
                };
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().AddRequirements(new StoredAdminRoleRequirement()));
        services.AddScoped<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, StoredAdminRoleHandler>();
        return services;
    }

    private static Task AcceptQueryTokenOnStreamGets(MessageReceivedContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method)
            && request.Path.StartsWithSegments("/api/stream")
            && string.IsNullOrEmpty(request.Headers.Authorization)
            && request.Query.TryGetValue("access_token", out var token))
        {
            context.Token = token.ToString();
        }
        return Task.CompletedTask;
    }

    /// <summary>A valid token of a deleted user is refused; positive answers are cached briefly.</summary>
    private static async Task RequireExistingUser(TokenValidatedContext context)
    {
        var subject = context.Principal?.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        if (!Guid.TryParse(subject, out var userId))
        {
            context.Fail("The token has no valid subject.");
            return;
        }
        var cache = context.HttpContext.RequestServices.GetRequiredService<IMemoryCache>();
        var cacheKey = ("user-exists", userId);
        if (!cache.TryGetValue(cacheKey, out _))
        {
            var accounts = context.HttpContext.RequestServices.GetRequiredService<IAccountRepository>();
            if (!await accounts.ExistsAsync(userId, context.HttpContext.RequestAborted))
            {
                context.Fail("The account no longer exists.");
                return;
            }
            cache.Set(cacheKey, true, UserExistsCacheTime);
        }
        context.Principal = PrincipalOfClaimsRead(context.Principal!);
    }

    /// <summary>
    /// The request's user keeps only the claims the API reads: <c>sub</c> (and the informational <c>role</c>).
    /// The validated principal holds every claim of the token twice over, each with a properties dictionary, and
    /// references the parsed token; a stream keeps its request's user for as long as it is open, so that was
    /// ~4 KB per open stream (docs/performance.md, "Memory per open stream (sixth round)"). The token is our own
    /// (src/Infrastructure/Identity/JwtAccessTokenIssuer.cs): nothing else in it is read after validation.
    /// </summary>
    internal static ClaimsPrincipal PrincipalOfClaimsRead(ClaimsPrincipal validated)
    {
        var identity = validated.Identity as ClaimsIdentity;
        var claims = new List<Claim>(2);
        foreach (var claim in validated.Claims)
        {
            if (claim.Type is JwtRegisteredClaimNames.Sub or RoleClaim) claims.Add(new Claim(claim.Type, claim.Value));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, identity?.AuthenticationType, JwtRegisteredClaimNames.Sub, RoleClaim));
    }

    private const string RoleClaim = "role";

    private static async Task WriteUnauthorizedProblem(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        context.Response.Headers.WWWAuthenticate = "Bearer";
        var detail = context.AuthenticateFailure is null
            ? "A bearer token is required."
            : "The bearer token is invalid, expired, or its account no longer exists.";
        await ProblemWriter.WriteAsync(context.HttpContext, 401, "Unauthorized", detail);
    }
}
