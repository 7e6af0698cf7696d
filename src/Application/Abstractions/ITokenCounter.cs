namespace StudyGuru.Application.Abstractions;

/// <summary>Counts tokens with the o200k_base encoding, used whenever the provider reports no usage.</summary>
public interface ITokenCounter
{
    int CountTokens(string text);

    /// <summary>
    /// The tokens of <paramref name="first"/> and <paramref name="second"/> joined. A streamed answer is counted
    /// piece by piece next to the piece before it (<c>AnswerTokenCount</c>); an implementation may count the
    /// two without building the joined string.
    /// </summary>
    int CountTokens(string first, string second) => CountTokens(string.Concat(first, second));

    /// <summary>
    /// True when the tokens of <paramref name="first"/> and <paramref name="second"/> joined are always the sum of
    /// their own (the tokenizer cannot merge across that boundary), so that the joined text need not be counted.
    /// </summary>
    bool CountsAdd(string first, string second) => false;
}
