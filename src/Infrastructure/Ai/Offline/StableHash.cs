using System.Text;

namespace StudyGuru.Infrastructure.Ai.Offline;

/// <summary>
/// FNV-1a over UTF-8: the same text gives the same number in every process and on every instance
/// (string.GetHashCode is randomised per process, which would make the offline answers differ).
/// </summary>
internal static class StableHash
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    public static uint Of(string text)
    {
        var hash = OffsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * Prime);
        }

        return hash;
    }
}
