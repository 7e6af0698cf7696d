using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.Generations;
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

        var tokens = new AnswerTokenCount(tokenCounter);
        for (var i = 0; i < words.Count; i++)
        {
            if (!tokens.TryAdd(words[i], request.MaxTokens))
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

            yield return ChatChunk.FromText(words[i]);
        }

        yield return new ChatChunk(null, FinishReasons.Stop);
    }
}
