using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;

namespace StudyGuru.Infrastructure.Ai.Offline;

/// <summary>
/// The model used when no provider is configured: deterministic answers (see <see cref="OfflineAnswerComposer"/>)
/// streamed one word per chunk every <c>Ai:Offline:TokenDelayMs</c>. It neither counts nor cuts: the runner's one
/// count (<c>AnswerTokenCount</c>) stops the answer at <see cref="ChatRequest.MaxTokens"/> and prices it
/// (docs/domain-rules.md, "Tokens"). It reports no usage.
/// </summary>
internal sealed class OfflineTutorModel(IOptions<AiOptions> options) : IChatModel
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

        var i = 0;
        foreach (var word in words)
        {
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

            yield return ChatChunk.FromText(word);
            i++;
        }

        yield return new ChatChunk(null, FinishReasons.Stop);
    }
}
