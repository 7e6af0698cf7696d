using System.Security.Cryptography;
using System.Text;

namespace StudyGuru.Infrastructure.Caching;

/// <summary>
/// Response cache keys are whole prompts as far as the cache knows: hashing them bounds the key
/// length and keeps prompt text out of key names.
/// </summary>
internal static class PromptKeyHash
{
    public static string Compute(string promptKey)
    {
        ArgumentNullException.ThrowIfNull(promptKey);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(promptKey)));
    }
}
