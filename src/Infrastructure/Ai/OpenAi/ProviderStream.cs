using Microsoft.SemanticKernel;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Ai.OpenAi;

/// <summary>
/// The connector's update stream with failures mapped to <see cref="ChatModelException"/> and cancellation
/// left as <see cref="OperationCanceledException"/>. It exists because C# cannot yield inside a try/catch.
/// </summary>
internal sealed class ProviderStream(IAsyncEnumerable<StreamingChatMessageContent> updates, CancellationToken cancellationToken)
    : IAsyncDisposable
{
    private IAsyncEnumerator<StreamingChatMessageContent>? _enumerator;

    /// <returns>The next update, or null at the end of the stream.</returns>
    public async ValueTask<StreamingChatMessageContent?> NextAsync()
    {
        try
        {
            _enumerator ??= updates.GetAsyncEnumerator(cancellationToken);
            return await _enumerator.MoveNextAsync() ? _enumerator.Current : null;
        }
        catch (Exception exception) when (exception is not ChatModelException)
        {
            // Whatever the transport throws once the caller has cancelled (an aborted read, a disposed
            // connection) is the cancellation, not a model failure.
            cancellationToken.ThrowIfCancellationRequested();
            throw ChatModelFailureMapper.Map(exception);
        }
    }

    /// <summary>Disposing before the end aborts the upstream HTTP request.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_enumerator is not null)
        {
            await _enumerator.DisposeAsync();
        }
    }
}
