using System.Text.RegularExpressions;

namespace StudyGuru.Infrastructure.Ai.Offline;

/// <summary>Cuts an answer into the pieces the offline model streams: one word each, with the whitespace before it.</summary>
internal static partial class OfflineAnswerWords
{
    /// <summary>Concatenating the pieces gives the answer back exactly (it never starts with whitespace).</summary>
    public static IReadOnlyList<string> Split(string answer) =>
        WordWithLeadingSpace().Matches(answer.TrimStart()).Select(match => match.Value).ToList();

    /// <summary>Exactly <paramref name="count"/> words, single-spaced: the answer's words repeated as needed.</summary>
    public static IReadOnlyList<string> Exactly(string answer, int count)
    {
        var words = answer.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            words = ["answer"];
        }

        var pieces = new string[count];
        for (var i = 0; i < count; i++)
        {
            var word = words[i % words.Length];
            pieces[i] = i == 0 ? word : " " + word;
        }

        return pieces;
    }

    [GeneratedRegex(@"\s*\S+")]
    private static partial Regex WordWithLeadingSpace();
}
