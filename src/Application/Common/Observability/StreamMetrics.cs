using System.Diagnostics.Metrics;

namespace StudyGuru.Application.Common.Observability;

/// <summary>
/// The service's own instruments. Exported to Prometheus as studyguru_streams_active,
/// studyguru_stream_time_to_first_token_seconds, studyguru_stream_tokens_total,
/// studyguru_points_charged_total, studyguru_stream_outcomes_total{code}, studyguru_model_latency_seconds and studyguru_settlements_expired_total.
/// </summary>
public sealed class StreamMetrics : IDisposable
{
    public const string MeterName = "StudyGuru";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _active;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _pointsCharged;
    private readonly Counter<long> _outcomes;
    private readonly Histogram<double> _modelLatency;
    private long _expiredSettlements;

    public StreamMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _active = _meter.CreateUpDownCounter<long>("studyguru.streams.active", description: "Generations running on this instance.");
        _timeToFirstToken = _meter.CreateHistogram<double>("studyguru.stream.time_to_first_token", "s", "From the start of a generation to its first token.");
        _tokens = _meter.CreateCounter<long>("studyguru.stream.tokens", description: "Token events streamed.");
        _pointsCharged = _meter.CreateCounter<long>("studyguru.points.charged", description: "Points charged for answers.");
        _outcomes = _meter.CreateCounter<long>("studyguru.stream.outcomes", description: "Generations by how they ended (stop, length, cancelled, or an error code).");
        _modelLatency = _meter.CreateHistogram<double>("studyguru.model.latency", "s", "From the model call to its last chunk.");
        // Observed rather than added to, so that the series exists (at 0) before the first sweep and alerts can rely on it.
        _meter.CreateObservableCounter("studyguru.settlements.expired", () => Interlocked.Read(ref _expiredSettlements),
            description: "Generations whose owner vanished: settled by the lease sweep (points returned, nothing charged).");
    }

    public void GenerationStarted() => _active.Add(1);
    public void GenerationEnded(string code, int pointsCharged)
    {
        _active.Add(-1);
        _outcomes.Add(1, new KeyValuePair<string, object?>("code", code));
        if (pointsCharged > 0) _pointsCharged.Add(pointsCharged);
    }

    public void FirstToken(TimeSpan elapsed) => _timeToFirstToken.Record(elapsed.TotalSeconds);
    public void TokensStreamed(int count) => _tokens.Add(count);
    public void ModelFinished(TimeSpan elapsed) => _modelLatency.Record(elapsed.TotalSeconds);
    public void SettlementExpired() => Interlocked.Increment(ref _expiredSettlements);

    public void Dispose() => _meter.Dispose();
}
