using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;

namespace StudyGuru.Infrastructure.Ai.Offline;

/// <summary>
/// The model used when no provider is configured: deterministic answers (see <see cref="OfflineAnswerComposer"/>)
/// streamed one word per chunk every <c>Ai:Offline:TokenDelayMs</c>, stopped before the word that would pass
/// <see cref="ChatRequest.MaxTokens"/> (o200k count). It reports no usage, so callers count with the tokenizer.
/// </summary>
internal sealed class OfflineTutorModel(ITokenCounter tokenCounter, IOptions<AiOptions> options) : IChatModel
{
    /// <summary>With no delay, give the thread back this often so a long answer does not hold it.</summary>
    private const int WordsBetweenYields = 32;

    public string Kind => "offline";

    public bool IsReal => false;

    public async IAsyncEnumerable<ChatChunk> StreamAsync(
        ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        var settings = options.Value.Offline;
        var answer = OfflineAnswerComposer.Compose(request);
        var words = settings.AnswerWords > 0
            ? OfflineAnswerWords.Exactly(answer, settings.AnswerWords)
            : OfflineAnswerWords.Split(answer);
        var delay = TimeSpan.FromMilliseconds(Math.Max(0, settings.TokenDelayMs));

        var tokensSent = 0;
        var previousWord = string.Empty;
        var previousWordTokens = 0;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var wordTokens = tokenCounter.CountTokens(word);
            // A running count, not a re-count of the whole answer (quadratic). The cost of a word is taken
            // next to the word before it, because the tokenizer merges across that boundary (".\n" is one token).
            var cost = tokenCounter.CountTokens(previousWord + word) - previousWordTokens;
            if (tokensSent + cost > request.MaxTokens)
            {
                yield return new ChatChunk(null, FinishReasons.Length);
                yield break;
            }

            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }
            else
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i % WordsBetweenYields == WordsBetweenYields - 1)
                {
                    await Task.Yield();
                }
            }

            tokensSent += cost;
            previousWord = word;
            previousWordTokens = wordTokens;
            yield return ChatChunk.FromText(word);
        }

        yield return new ChatChunk(null, FinishReasons.Stop);
    }
}
