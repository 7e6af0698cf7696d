using System.Text.RegularExpressions;

namespace StudyGuru.Application.Chat.Common;

/// <summary>A chat id is chosen by the client: 1-64 characters of letters, digits, '_' and '-'.</summary>
public static partial class ChatId
{
    public const int MaxLength = 64;

    public static bool IsValid(string? value) => value is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Pattern();
}
