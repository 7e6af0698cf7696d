using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Caching;

/// <summary>
/// Rough bytes an entry holds in memory, so that the local cache's size limit means something:
/// two bytes a character plus a fixed cost per object.
/// </summary>
internal static class CacheEntrySize
{
    private const long ObjectOverhead = 64;

    public const long Owner = ObjectOverhead;

    public static long Of(IReadOnlyList<ChatTurn> history)
    {
        var size = ObjectOverhead;
        foreach (var turn in history)
        {
            size += ObjectOverhead + (2L * turn.Content.Length);
        }

        return size;
    }

    public static long Of(CachedResponse response)
    {
        // The runner's pieces: one string and one array of piece ends (no pass over the pieces).
        if (response.Tokens is AnswerPieces pieces)
            return 3 * ObjectOverhead + (2L * pieces.Text.Length) + (4L * pieces.Count);

        var size = ObjectOverhead;
        foreach (var token in response.Tokens)
        {
            size += 24 + (2L * token.Length);
        }

        return size;
    }
}
