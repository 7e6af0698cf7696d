using System.Collections.Concurrent;
using System.Diagnostics;

namespace StudyGuru.Application.Common.Observability;

/// <summary>
/// One span per generation (source <see cref="SourceName"/>). A generation outlives the request that started it,
/// so its span is a trace of its own, linked to that request and to every request that resumes it on this
/// instance; a resume served by another instance tags its own request span with the generation id instead.
/// Spans carry ids, counts and outcomes only, never a student's text. Without a listener (no exporter
/// configured) <see cref="Start"/> returns a span that does nothing.
/// </summary>
public sealed class GenerationTracing
{
    public const string SourceName = "StudyGuru.Generations";
    public const string GenerationIdTag = "studyguru.generation.id";

    private static readonly ActivitySource Source = new(SourceName);
    private readonly ConcurrentDictionary<Guid, GenerationSpan> _live = new();

    /// <summary>Starts the span of a generation whose points were just reserved, from the starting request's context.</summary>
    public GenerationSpan Start(Guid generationId, Guid interactionId, Guid userId, string model, int reservedPoints)
    {
        if (!Source.HasListeners()) return GenerationSpan.None;

        var startedBy = Activity.Current;
        var links = startedBy is null ? null : new[] { new ActivityLink(startedBy.Context, new ActivityTagsCollection { ["studyguru.link"] = "started_by" }) };
        // A root span: the generation is not part of the starting request's lifetime, only linked to it.
        Activity.Current = null;
        var activity = Source.StartActivity("generation", ActivityKind.Internal, default(ActivityContext), tags: null, links: links);
        Activity.Current = startedBy;
        if (activity is null) return GenerationSpan.None;

        activity.SetTag(GenerationIdTag, generationId.ToString());
        activity.SetTag("studyguru.interaction.id", interactionId.ToString());
        activity.SetTag("studyguru.user.id", userId.ToString());
        activity.SetTag("gen_ai.request.model", model);
        activity.SetTag("studyguru.points.reserved", reservedPoints);
        activity.AddEvent(new ActivityEvent("reserved"));
        startedBy?.SetTag(GenerationIdTag, generationId.ToString());

        var span = new GenerationSpan(activity, () => _live.TryRemove(generationId, out _));
        _live[generationId] = span;
        return span;
    }

    /// <summary>Called by a request that resumes a generation: links it to the generation's span when this instance runs it.</summary>
    public void Resumed(Guid generationId)
    {
        if (Activity.Current is not { } request) return;
        request.SetTag(GenerationIdTag, generationId.ToString());
        if (_live.TryGetValue(generationId, out var span)) span.LinkResume(request.Context);
    }
}

/// <summary>The milestones of one generation's span. Every method is safe to call when tracing is off.</summary>
public sealed class GenerationSpan : IDisposable
{
    internal static readonly GenerationSpan None = new(null, null);

    private readonly Activity? _activity;
    private readonly Action? _onEnd;
    private int _ended;

    internal GenerationSpan(Activity? activity, Action? onEnd)
    {
        _activity = activity;
        _onEnd = onEnd;
    }

    /// <summary>Makes the span current for the work of the generation (its model, database and Redis calls nest
    /// under it); dispose the result to restore the previous one.</summary>
    public IDisposable Enter() => new CurrentScope(_activity);

    public void FirstToken() => _activity?.AddEvent(new ActivityEvent("first_token"));

    public void Settled(int inputTokens, int outputTokens, int pointsCharged, string outcome, bool cached)
    {
        if (_activity is null) return;
        _activity.SetTag("gen_ai.usage.input_tokens", inputTokens);
        _activity.SetTag("gen_ai.usage.output_tokens", outputTokens);
        _activity.SetTag("studyguru.points.charged", pointsCharged);
        _activity.SetTag("studyguru.finish_reason", outcome);
        _activity.SetTag("studyguru.cached", cached);
        _activity.AddEvent(new ActivityEvent("settled"));
    }

    /// <summary>Ends the span with how the generation ended: a finish reason, or an error code (span status Error).</summary>
    public void End(string outcome, bool failed)
    {
        if (_activity is null || Interlocked.Exchange(ref _ended, 1) == 1) return;
        _activity.SetTag("studyguru.outcome", outcome);
        if (failed) _activity.SetStatus(ActivityStatusCode.Error, outcome);
        _activity.Stop();
        _onEnd?.Invoke();
    }

    public void Dispose() => End("ended", failed: false);

    internal void LinkResume(ActivityContext request)
    {
        if (_activity is null || Volatile.Read(ref _ended) == 1) return;
        _activity.AddLink(new ActivityLink(request, new ActivityTagsCollection { ["studyguru.link"] = "resumed_by" }));
        _activity.AddEvent(new ActivityEvent("resumed"));
    }

    private sealed class CurrentScope : IDisposable
    {
        private readonly Activity? _previous;
        private readonly bool _changed;

        public CurrentScope(Activity? activity)
        {
            if (activity is null) return;
            _previous = Activity.Current;
            _changed = true;
            Activity.Current = activity;
        }

        public void Dispose()
        {
            if (_changed) Activity.Current = _previous;
        }
    }
}
