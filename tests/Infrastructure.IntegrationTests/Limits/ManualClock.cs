namespace StudyGuru.Infrastructure.IntegrationTests.Limits;

/// <summary>A clock that moves only when told, starting now on a whole millisecond (the Redis scripts count in ms).</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
