using Microsoft.ML.Tokenizers;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Ai;

/// <summary>
/// Counts tokens with the o200k_base encoding (GPT-4o family). Register as a singleton: loading the
/// vocabulary takes about half a second, counting afterwards is cheap and thread-safe.
/// </summary>
internal sealed class O200kTokenCounter : ITokenCounter
{
    private readonly TiktokenTokenizer _tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");

    public int CountTokens(string text) => string.IsNullOrEmpty(text) ? 0 : _tokenizer.CountTokens(text);
}
