namespace StudyGuru.Application.Abstractions;

/// <summary>Counts tokens with the o200k_base encoding, used whenever the provider reports no usage.</summary>
public interface ITokenCounter
{
    int CountTokens(string text);
}
