namespace StudyGuru.TestSupport.OpenAi;

/// <summary>A one-shot gate: the server waits on it, the test opens it.</summary>
public sealed class FakeOpenAiGate
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the waiting server continue. Opening twice is harmless.</summary>
    public void Open() => _opened.TrySetResult();

    public bool IsOpen => _opened.Task.IsCompleted;

    internal Task WaitAsync(CancellationToken cancellationToken) => _opened.Task.WaitAsync(cancellationToken);
}
