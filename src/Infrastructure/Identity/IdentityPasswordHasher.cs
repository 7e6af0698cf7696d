using Microsoft.AspNetCore.Identity;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Identity;

/// <summary>ASP.NET Core Identity's PBKDF2 hasher (costly by design: tens of milliseconds per hash).</summary>
public sealed class IdentityPasswordHasher : IPasswordHasher
{
    private static readonly object Subject = new();
    private readonly PasswordHasher<object> _hasher = new();

    public string Hash(string password) => _hasher.HashPassword(Subject, password);

    public bool Verify(string hash, string password) =>
        _hasher.VerifyHashedPassword(Subject, hash, password) is not PasswordVerificationResult.Failed;
}
