using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.WebApi.FunctionalTests.Support;

/// <summary>
/// Wraps the real model at the chat seam and records what it was asked and whether its stream was
/// cancelled, so tests can observe history and upstream cancellation without replacing the model.
/// </summary>
public sealed class RecordingChatModel(IChatModel inner) : IChatModel
{
    public ConcurrentQueue<ChatRequest> Requests { get; } = new();
    public ConcurrentQueue<string> Outcomes { get; } = new();

    public string Kind => inner.Kind;
    public bool IsReal => inner.IsReal;

    public async IAsyncEnumerable<ChatChunk> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        var outcome = "completed";
        try
        {
            await foreach (var chunk in inner.StreamAsync(request, cancellationToken).WithCancellation(cancellationToken))
                yield return chunk;
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested) outcome = "cancelled";
            Outcomes.Enqueue(outcome);
        }
    }

    /// <summary>Replaces the registered model with a recorder around it.</summary>
    public static void Decorate(IServiceCollection services, Action<RecordingChatModel> created)
    {
        var original = services.Last(d => d.ServiceType == typeof(IChatModel));
        services.Remove(original);
        services.AddSingleton<IChatModel>(sp =>
        {
            var inner = original.ImplementationInstance as IChatModel
                ?? (original.ImplementationFactory is { } factory
                    ? (IChatModel)factory(sp)
                    : (IChatModel)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!));
            var recorder = new RecordingChatModel(inner);
            created(recorder);
            return recorder;
        });
    }
}
