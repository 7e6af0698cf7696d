using StackExchange.Redis;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Resilience;

/// <summary>
/// A fault to survive with the real parts: Redis stops answering every client for 8 s (<c>CLIENT PAUSE 8000 ALL</c>)
/// while a reader on instance B follows a generation that instance A owns.
/// </summary>
public sealed class RedisPauseTests
{
    [Test]
    public async Task ReaderOnB_RedisPausedEightSeconds_EndsWithOneTerminalEventAndNoGap()
    {
        await using var pair = await TwoInstancesWithRedis.StartAsync(new Dictionary<string, string?>
        {
            ["Ai:Offline:TokenDelayMs"] = "40",
            ["Ai:Offline:AnswerWords"] = "300",
        });
        var user = await pair.ClientA.RegisterAsync();

        using var owner = await pair.ClientA.SendAsync(
            ApiClient.StreamRequest(user.Token, new { message = "Explain how rainbows form", max_tokens = 2000 }),
            HttpCompletionOption.ResponseHeadersRead);
        Assert.That((int)owner.StatusCode, Is.EqualTo(200));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ownerEvents = new List<SseEvent>();
        var ownerReads = ReadAllAsync(owner, ownerEvents, timeout.Token);
        while (ownerEvents.Count < 3) await Task.Delay(20, timeout.Token);
        // (the lists are filled by the readers while the test looks at them)
        var generationId = Guid.Parse(ownerEvents[0].Str("generation_id")!);

        using var follow = ApiClient.RawRequest(HttpMethod.Get, $"/api/stream/generations/{generationId}", user.Token);
        using var reader = await pair.ClientB.SendAsync(follow, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.That((int)reader.StatusCode, Is.EqualTo(200));
        var readerEvents = new List<SseEvent>();
        var readerReads = ReadAllAsync(reader, readerEvents, timeout.Token);
        while (readerEvents.Count < 5) await Task.Delay(20, timeout.Token);

        await using (var admin = await ConnectionMultiplexer.ConnectAsync($"{pair.Redis.Configuration},allowAdmin=true"))
            await admin.GetServer(pair.Redis.Configuration).ExecuteAsync("CLIENT", "PAUSE", "8000", "ALL");
        var pausedAt = readerEvents.Count;

        var readerEnded = await readerReads;
        var ownerEnded = await ownerReads;
        await using (var probe = await ConnectionMultiplexer.ConnectAsync(pair.Redis.Configuration))
        {
            var database = probe.GetDatabase();
            var meta = await database.HashGetAllAsync($"studyguru:gen:{{{generationId:N}}}:meta");
            // What the shared buffer holds once the pause is over: tells a copy that stopped from a reader that stalled.
            TestContext.Out.WriteLine($"shared buffer: {string.Join(", ", meta.Select(m => $"{m.Name}={m.Value}"))}; events: {await database.StreamLengthAsync($"studyguru:gen:{{{generationId:N}}}:events")}");
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ownerEnded, Is.True, $"the owner's stream did not end: {Describe(ownerEvents)}");
            Assert.That(readerEnded, Is.True, $"the reader's stream did not end: {Describe(readerEvents)}");
            foreach (var (name, events) in new[] { ("reader on B", readerEvents), ("owner's client on A", ownerEvents) })
            {
                Assert.That(events.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, events.Count).Select(i => (long)i)), $"{name}: no gap, no repeat");
                Assert.That(events.Count(e => e.Type is "complete" or "error"), Is.EqualTo(1), $"{name}: exactly one terminal event");
                Assert.That(events[^1].Type, Is.AnyOf("complete", "error"), $"{name}: the terminal event is last");
            }
            Assert.That(readerEvents.Count, Is.GreaterThan(pausedAt), "the reader went on after the pause");
            Assert.That(readerEvents[^1].Data.ToString(), Is.EqualTo(ownerEvents[^1].Data.ToString()), "both saw the same end");
        }
    }

    /// <returns>False when the stream had not ended when the test's time ran out.</returns>
    private static async Task<bool> ReadAllAsync(HttpResponseMessage response, List<SseEvent> into, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in SseStream.ReadAsync(response, cancellationToken))
                lock (into) into.Add(item);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static string Describe(List<SseEvent> events)
    {
        lock (events)
            return $"{events.Count} events, last {(events.Count == 0 ? "none" : $"{events[^1].Id} {events[^1].Type}")}";
    }
}
