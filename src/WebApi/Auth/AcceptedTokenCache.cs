using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace StudyGuru.WebApi.Auth;

/// <summary>
/// The bearer token handler, remembering the tokens it accepted until they expire: a client sends the same token
/// with every request, and parsing it, checking its HMAC and building its claims took ~30 µs of each request's
/// ~600 µs before its first event (docs/performance.md, "First event and CPU per token (fifth round)").
/// </summary>
/// <remarks>
/// Only an exact token string that passed every check (issuer, audience, algorithm, signature, lifetime) with the
/// same validation parameters is remembered, and it is answered from memory only while its lifetime still holds.
/// Everything after the handler still runs per request, the check that the user still exists first. Each request
/// gets its own copy of the claims. Without a plain lifetime check (none, or a delegate of its own) nothing is
/// remembered.
/// </remarks>
public sealed class AcceptedTokenCache : JsonWebTokenHandler
{
    /// <summary>At most this many tokens are remembered; when full, all are forgotten (expired ones with them).</summary>
    public const int MaxTokens = 4096;

    private readonly ConcurrentDictionary<string, Accepted> _accepted = new(StringComparer.Ordinal);

    private sealed record Accepted(TokenValidationParameters Parameters, ClaimsIdentity Identity, SecurityToken Token, string? Issuer, DateTime ValidUntil);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_accepted.TryGetValue(token, out var accepted)
            && SameChecks(accepted.Parameters, validationParameters)
            && DateTime.UtcNow < accepted.ValidUntil)
        {
            return new TokenValidationResult
            {
                IsValid = true,
                ClaimsIdentity = accepted.Identity.Clone(),
                SecurityToken = accepted.Token,
                Issuer = accepted.Issuer,
            };
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid
            && IsPlain(validationParameters)
            && result.SecurityToken is { ValidTo: var validTo } && validTo > DateTime.MinValue)
        {
            if (_accepted.Count >= MaxTokens) _accepted.Clear();
            _accepted[token] = new Accepted(validationParameters, result.ClaimsIdentity.Clone(), result.SecurityToken, result.Issuer,
                validTo + validationParameters.ClockSkew);
        }
        return result;
    }

    /// <summary>
    /// The JWT handler passes a copy of its options' parameters with every request: the same checks, a new object.
    /// Remembered answers are only reused for parameters that check the same (same key object, issuer, audience,
    /// algorithms, lifetime rule).
    /// </summary>
    private static bool SameChecks(TokenValidationParameters accepted, TokenValidationParameters now) =>
        ReferenceEquals(accepted, now)
        || (IsPlain(now)
            && ReferenceEquals(accepted.IssuerSigningKey, now.IssuerSigningKey)
            && accepted.ValidateIssuer == now.ValidateIssuer && accepted.ValidIssuer == now.ValidIssuer
            && accepted.ValidateAudience == now.ValidateAudience && accepted.ValidAudience == now.ValidAudience
            && accepted.ValidateIssuerSigningKey == now.ValidateIssuerSigningKey
            && accepted.RequireSignedTokens == now.RequireSignedTokens
            && accepted.ClockSkew == now.ClockSkew
            && (accepted.ValidAlgorithms ?? []).SequenceEqual(now.ValidAlgorithms ?? []));

    /// <summary>Parameters whose checks are all in the fields compared above: one key, one issuer, one audience, the
    /// plain lifetime rule, and none of the delegates or key lists that could decide otherwise per call.</summary>
    private static bool IsPlain(TokenValidationParameters p) =>
        p is
        {
            ValidateLifetime: true, RequireExpirationTime: true, LifetimeValidator: null,
            IssuerSigningKey: not null, IssuerSigningKeys: null, IssuerSigningKeyResolver: null, IssuerSigningKeyValidator: null,
            SignatureValidator: null, IssuerValidator: null, AudienceValidator: null, AlgorithmValidator: null,
            ValidIssuers: null, ValidAudiences: null, TokenReplayValidator: null, ValidateTokenReplay: false,
            ConfigurationManager: null,
        };
}
