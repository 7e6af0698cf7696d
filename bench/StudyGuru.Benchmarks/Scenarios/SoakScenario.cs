using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StudyGuru.Benchmarks.Hosting;
using StudyGuru.Benchmarks.Reporting;

namespace StudyGuru.Benchmarks.Scenarios;

/// <summary>
/// Clients that drop their stream at random and resume it (Last-Event-ID, on either of two instances that
/// share one SQLite file and one Redis server). Every answer is checked for sequence continuity across its
/// resumes and against the saved answer; the ledger is checked for exactly one charge per answer.
/// </summary>
public static class SoakScenario
{
    public const string Name = "soak";

    private sealed class Outcome
    {
        public long LostEvents;
        public long DuplicatedEvents;
        public long Completed;
        public long Failed;
        public long Resumes;
        public readonly ConcurrentBag<double> ResumeLatencyMs = [];
        public readonly ConcurrentBag<(string Token, string InteractionId, string Content, int PointsCost)> Answers = [];
        public readonly ConcurrentDictionary<string, int> Errors = new();
    }

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var clients = options.Quick ? 50 : 1000;
        var duration = options.Quick ? TimeSpan.FromSeconds(20) : TimeSpan.FromMinutes(2);
        var settings = new StreamSettings(TokenDelayMs: 50, AnswerWords: 40, MaxTokens: 200);

        await using var redis = await RedisProcess.StartAsync();
        var scratch = Directory.CreateTempSubdirectory("studyguru-soak-").FullName;
        var shared = new Dictionary<string, string>(options.ApiEnvironment)
        {
            ["Redis__Configuration"] = redis.Configuration,
            ["ConnectionStrings__StudyGuru"] = $"Data Source={Path.Combine(scratch, "studyguru.db")};Default Timeout=30",
            ["Jwt__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
            ["Streaming__DisconnectGraceSeconds"] = "10",
        };
        await using var a = await ApiLauncher.StartAsync(settings, shared);
        await using var b = await ApiLauncher.StartAsync(settings, shared, registerUsers: false);
        Target[] instances = [a, b];

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, UseProxy = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var outcome = new Outcome();
        using var stop = new CancellationTokenSource(duration);
        Console.WriteLine($"{clients} clients for {duration.TotalSeconds:0} s across 2 instances and one Redis server");
        await Task.WhenAll(Enumerable.Range(0, clients).Select(i => ClientLoopAsync(i, http, instances, a, settings, outcome, stop.Token)));

        var (chargesOk, duplicatedCharges, savedMismatches) = await VerifyAsync(http, a, outcome);
        var samples = instances.Select(t => t.Server.Sample()).ToList();
        var latency = Distribution.Of(outcome.ResumeLatencyMs);

        new ResultTable("soak", "answers", "failed", "resumes", "lost events", "duplicated events", "duplicated charges",
                "saved answer mismatches", "resume p50 ms", "resume p99 ms", "RSS A MB", "RSS B MB")
            .Row(outcome.Completed, outcome.Failed, outcome.Resumes, outcome.LostEvents, outcome.DuplicatedEvents, duplicatedCharges,
                savedMismatches, latency.P50, latency.P99, samples[0].RssKb / 1024, samples[1].RssKb / 1024)
            .Print();
        foreach (var (error, count) in outcome.Errors.OrderByDescending(e => e.Value).Take(5)) Console.WriteLine($"  {count} x {error}");
        Console.WriteLine($"ledger matches the answers: {chargesOk}");
        Console.WriteLine("results: " + ResultsFile.Write(Name, new
        {
            clients, duration_seconds = duration.TotalSeconds, answers = outcome.Completed, failed = outcome.Failed, resumes = outcome.Resumes,
            lost_events = outcome.LostEvents, duplicated_events = outcome.DuplicatedEvents, duplicated_charges = duplicatedCharges,
            saved_answer_mismatches = savedMismatches, ledger_matches = chargesOk, resume_latency_ms = latency,
            rss_mb = samples.Select(s => s.RssKb / 1024).ToArray(), errors = outcome.Errors,
        }));
        try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
    }

    private static async Task ClientLoopAsync(
        int client, HttpClient http, Target[] instances, Target tokens, StreamSettings settings, Outcome outcome, CancellationToken stop)
    {
        var random = new Random(client);
        var token = tokens.TokenFor(client);
        var asked = 0;
        while (!stop.IsCancellationRequested)
        {
            var body = JsonSerializer.Serialize(new { message = $"Soak question {client}-{asked++}: what is {client}+{asked}?", max_tokens = settings.MaxTokens });
            var key = Guid.NewGuid().ToString();
            string? lastId = null;
            var expected = 1L;
            var content = new StringBuilder();
            string? interactionId = null;
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var instance = instances[random.Next(instances.Length)];
                // About a third of the streams drop after a few events; a resume may drop again.
                var dropAfter = random.NextDouble() < 0.35 ? random.Next(2, 30) : int.MaxValue;
                using var request = new HttpRequestMessage(HttpMethod.Post, instance.StreamUri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.Add("Idempotency-Key", key);
                if (lastId is not null) request.Headers.Add("Last-Event-ID", lastId);
                var started = Stopwatch.GetTimestamp();
                HttpResponseMessage response;
                try
                {
                    response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, CancellationToken.None);
                }
                catch (HttpRequestException exception)
                {
                    outcome.Errors.AddOrUpdate(exception.Message, 1, (_, n) => n + 1);
                    continue;
                }
                using (response)
                {
                    if (response.StatusCode == HttpStatusCode.NoContent) break;
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        outcome.Errors.AddOrUpdate($"HTTP {(int)response.StatusCode}", 1, (_, n) => n + 1);
                        await Task.Delay(200, CancellationToken.None);
                        continue;
                    }
                    var (ended, dropped) = await ReadAsync(response, dropAfter, started, lastId is not null, outcome, content,
                        ref_ => { lastId = ref_.Id; expected = ref_.Next; interactionId ??= ref_.InteractionId; }, expected);
                    if (ended is { } terminal)
                    {
                        if (terminal.Type == "complete")
                        {
                            Interlocked.Increment(ref outcome.Completed);
                            if (terminal.Content != content.ToString()) Interlocked.Increment(ref outcome.LostEvents);
                            outcome.Answers.Add((token, interactionId!, terminal.Content!, terminal.PointsCost));
                        }
                        else
                        {
                            Interlocked.Increment(ref outcome.Failed);
                            outcome.Errors.AddOrUpdate($"error event {terminal.Code}", 1, (_, n) => n + 1);
                        }
                        break;
                    }
                    if (dropped)
                    {
                        Interlocked.Increment(ref outcome.Resumes);
                        await Task.Delay(random.Next(0, 2000), CancellationToken.None);
                    }
                }
            }
        }
    }

    private sealed record Position(string Id, long Next, string? InteractionId);

    private sealed record Terminal(string Type, string? Content, int PointsCost, string? Code);

    private static async Task<(Terminal? Terminal, bool Dropped)> ReadAsync(
        HttpResponseMessage response, int dropAfter, long started, bool isResume, Outcome outcome, StringBuilder content,
        Action<Position> advance, long expected)
    {
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? id = null;
        var read = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            if (read == 0 && isResume) outcome.ResumeLatencyMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (id is null) throw new InvalidDataException("An event came without an id: line.");
            var sequence = long.Parse(id[(id.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            if (sequence > expected) Interlocked.Add(ref outcome.LostEvents, sequence - expected);
            if (sequence < expected) Interlocked.Increment(ref outcome.DuplicatedEvents);
            using var json = JsonDocument.Parse(line[6..]);
            var root = json.RootElement;
            var type = root.GetProperty("type").GetString()!;
            if (sequence >= expected)
            {
                if (type == "token") content.Append(root.GetProperty("content").GetString());
                expected = sequence + 1;
                advance(new Position(id, expected, root.TryGetProperty("interaction_id", out var interaction) ? interaction.GetString() : null));
            }
            if (type is "complete" or "error")
            {
                return (new Terminal(type, root.TryGetProperty("content", out var c) ? c.GetString() : null,
                    root.TryGetProperty("points_cost", out var p) ? p.GetInt32() : 0,
                    root.TryGetProperty("code", out var code) ? code.GetString() : null), false);
            }
            if (++read >= dropAfter) return (null, true);
        }
        return (null, true);
    }

    /// <summary>Each user's ledger holds exactly one charge per answer, and every saved answer is what was streamed.</summary>
    private static async Task<(bool LedgerMatches, long DuplicatedCharges, long SavedMismatches)> VerifyAsync(HttpClient http, Target api, Outcome outcome)
    {
        long duplicated = 0, mismatches = 0;
        var matches = true;
        foreach (var user in outcome.Answers.GroupBy(a => a.Token))
        {
            var used = await LedgerUsedAsync(http, api, user.Key);
            // Answers cut by the run's end are charged too but are not in the list: only the listed answers are compared.
            var answered = user.Select(a => a.InteractionId).ToHashSet();
            var charged = used.Where(u => u.InteractionId is not null && answered.Contains(u.InteractionId)).GroupBy(u => u.InteractionId!);
            foreach (var group in charged)
                if (group.Count() > 1) duplicated += group.Count() - 1;
            if (charged.Sum(g => g.First().Points) != user.Sum(a => a.PointsCost)) matches = false;
        }
        await Parallel.ForEachAsync(outcome.Answers.Take(500), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (answer, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api.Server.BaseAddress, $"/api/interactions/{answer.InteractionId}/messages?limit=2"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", answer.Token);
            using var response = await http.SendAsync(request, ct);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var saved = json.RootElement.GetProperty("items").EnumerateArray().First(m => m.GetProperty("role").GetString() == "assistant");
            if (saved.GetProperty("content").GetString() != answer.Content) Interlocked.Increment(ref mismatches);
        });
        return (matches && duplicated == 0, duplicated, mismatches);
    }

    private static async Task<List<(string? InteractionId, int Points)>> LedgerUsedAsync(HttpClient http, Target api, string token)
    {
        var used = new List<(string?, int)>();
        for (var page = 1; ; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api.Server.BaseAddress, $"/api/account/points/transactions?page={page}&size=100"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
                if (item.GetProperty("type").GetString() == "used")
                    used.Add((item.TryGetProperty("interaction_id", out var id) ? id.GetString() : null, item.GetProperty("points").GetInt32()));
            if (!json.RootElement.GetProperty("has_next_page").GetBoolean()) return used;
        }
    }
}
