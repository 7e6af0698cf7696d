using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Deployment;

/// <summary>
/// nginx with a short <c>proxy_read_timeout</c> (2 s) and a model slower than it (3 s per token): heartbeats keep
/// a stream open, and a resume of the running answer is answered at once instead of timing out as a 504.
/// </summary>
[NonParallelizable]
public sealed class NginxIdleStreamTests
{
    private NginxCluster _cluster = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _cluster = await NginxCluster.StartAsync(tokenDelayMs: 3000,
            new Dictionary<string, string?> { ["Streaming:HeartbeatSeconds"] = "1" },
            new Dictionary<string, string> { ["proxy_read_timeout"] = "2s" });
        // A process's first sign-up and first stream take longer than 2 s (compilation): warm both directly.
        foreach (var instance in _cluster.Instances)
        {
            using var direct = new HttpClient { BaseAddress = new Uri(instance!.BaseUrl) };
            var user = await direct.RegisterAsync();
            using var warm = await direct.SendAsync(ApiClient.StreamRequest(user.Token, new { message = "What is 1+1?", max_tokens = 20 }),
                HttpCompletionOption.ResponseHeadersRead);
            await foreach (var item in SseStream.ReadAsync(warm)) break;
        }
    }

    [OneTimeTearDown]
    public async Task Stop() => await _cluster.DisposeAsync();

    [Test]
    public async Task SilencesLongerThanProxyReadTimeout_StreamAndItsResumeStayOpenOnHeartbeats()
    {
        using var client = _cluster.CreateClient();
        using var resumer = _cluster.CreateClient();
        ApiClient.RegisteredUser user;
        using (var direct = new HttpClient { BaseAddress = new Uri(_cluster.Instances[0]!.BaseUrl) })
            user = await direct.RegisterAsync();

        using var response = await client.SendAsync(
            ApiClient.StreamRequest(user.Token, new { message = "Explain what a prime number is", max_tokens = 200 }),
            HttpCompletionOption.ResponseHeadersRead);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), () => _cluster.Diagnostics());
        var events = SseStream.ReadAsync(response).GetAsyncEnumerator();
        var seen = new List<SseEvent>();
        while (seen.Count(e => e.Type == "token") < 2)
        {
            Assert.That(await events.MoveNextAsync(), Is.True, () => _cluster.Diagnostics());
            seen.Add(events.Current);
        }

        // A second reader resumes after the last event: nothing new exists for up to 3 s.
        var resume = ApiClient.StreamRequest(user.Token, new { message = "Explain what a prime number is" });
        resume.Headers.Add("Last-Event-ID", seen[^1].Id);
        var resumedAfter = seen[^1].Sequence;
        using var resumed = await resumer.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead);
        Assert.That((int)resumed.StatusCode, Is.EqualTo(200), () => $"a resume must not wait for the next event\n{_cluster.Diagnostics()}");
        var resumedEvents = SseStream.ReadAsync(resumed).GetAsyncEnumerator();
        var followed = new List<SseEvent>();
        while (followed.Count < 2)
        {
            Assert.That(await resumedEvents.MoveNextAsync(), Is.True, () => _cluster.Diagnostics());
            followed.Add(resumedEvents.Current);
        }
        while (seen.Count(e => e.Type == "token") < 4)
        {
            Assert.That(await events.MoveNextAsync(), Is.True, () => $"the stream was cut during a silence\n{_cluster.Diagnostics()}");
            seen.Add(events.Current);
        }

        Assert.That(followed.Select(e => e.Sequence), Is.EqualTo(new[] { resumedAfter + 1, resumedAfter + 2 }));
        Assert.That(followed.Select(e => e.Id), Is.SubsetOf(seen.Select(e => e.Id)), "the resume sees the same events as the first reader");
        Assert.That(_cluster.Nginx.ErrorLog, Does.Not.Contain("upstream timed out"), "nginx timed out waiting for an instance (and may have retried elsewhere)");
        await events.DisposeAsync();
        await resumedEvents.DisposeAsync();
    }
}
