using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Contract;
using StudyGuru.WebApi.FunctionalTests.Media;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Hostile;

/// <summary>
/// A fault to survive with the real process: 60 concurrent conversations, each with five 10 MB images and
/// refused for points, must not grow the server's resident memory by 200 MB (reading the images first grew
/// it by about 3 GB).
/// </summary>
public sealed class RefusedImageMemoryTests
{
    private const int Conversations = 60;
    private const long AllowedGrowthBytes = 200L * 1024 * 1024;

    [Test]
    public async Task SixtyConcurrentRefusedConversationsWithFiftyMegabytesOfImages_GrowRssByLessThan200MB()
    {
        await using var server = await LiveApiServer.StartAsync(tokenDelayMs: 1, settings: new Dictionary<string, string?>
        {
            ["Points:SignupBonus"] = "0",
            ["Limits:ConcurrentGenerationsPerUser"] = "1000",
            ["Limits:GenerationsPerMinute"] = "100000",
        });
        using var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(120) };
        var student = await client.RegisterAsync();
        var mediaIds = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var bytes = ImageSamples.LargePng(10 * 1024 * 1024 - 4096);
            mediaIds.Add((await client.UploadAsync(student.Token, bytes)).MediaId);
        }
        var body = JsonSerializer.Serialize(new { message = "Explain these pages", media_files = mediaIds.Select(id => new { id }) });

        // Warm up the refusal path, then let the uploads' garbage settle before the baseline.
        Assert.That(await SendAsync(client, student.Token, body), Is.EqualTo(402));
        await Task.Delay(1500);
        var baseline = ResidentBytes(server.ProcessId);

        using var sampling = new CancellationTokenSource();
        var peak = baseline;
        var sampler = SampleAsync();
        var statuses = await Task.WhenAll(Enumerable.Range(0, Conversations).Select(_ => SendAsync(client, student.Token, body)));
        await Task.Delay(500);
        await sampling.CancelAsync();
        await sampler;

        Assert.That(statuses, Is.All.EqualTo(402));
        var growth = peak - baseline;
        TestContext.Out.WriteLine($"RSS baseline {baseline / 1048576} MB, peak {peak / 1048576} MB, growth {growth / 1048576} MB");
        Assert.That(growth, Is.LessThan(AllowedGrowthBytes), $"RSS grew by {growth / 1048576} MB");

        async Task SampleAsync()
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ResidentBytes(server.ProcessId));
                try { await Task.Delay(20, sampling.Token); } catch (OperationCanceledException) { }
            }
        }
    }

    private static async Task<int> SendAsync(HttpClient client, string token, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/stream/stream-conversation")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        return (int)response.StatusCode;
    }

    /// <summary>VmRSS of a process, from /proc (Linux, where CI runs).</summary>
    private static long ResidentBytes(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException("VmRSS not found.");
    }
}
