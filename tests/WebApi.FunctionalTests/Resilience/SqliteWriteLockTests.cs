using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Interactions;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Resilience;

/// <summary>
/// A fault to survive with the real parts: another process (the <c>sqlite3</c> shell) holds the database's write
/// lock for 55 s while a long answer streams. The answer must be charged and saved once the lock is released,
/// and its thread must be free again afterwards.
/// </summary>
public sealed class SqliteWriteLockTests
{
    private static readonly TimeSpan LockHeld = TimeSpan.FromSeconds(55);

    [Test]
    public async Task LongAnswer_AnotherProcessHoldsTheWriteLockFor55Seconds_ChargedAndSavedOnceReleased()
    {
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?>
        {
            ["Ai:Offline:TokenDelayMs"] = "20",
            ["Ai:Offline:AnswerWords"] = "300",
        });
        using var client = factory.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(3);
        var user = await client.RegisterAsync();

        using var response = await client.SendAsync(
            ApiClient.StreamRequest(user.Token, new { message = "Explain how rainbows form", max_tokens = 2000 }),
            HttpCompletionOption.ResponseHeadersRead);
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        var events = new List<SseEvent>();
        using var lockHolder = await HoldWriteLockAsync(factory.DatabaseFile);
        var locked = Stopwatch.StartNew();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            await foreach (var item in SseStream.ReadAsync(response, timeout.Token)) events.Add(item);
        await lockHolder.WaitForExitAsync();

        var complete = events[^1];
        Assert.That(complete.Type, Is.EqualTo("complete"), complete.Data.ToString());
        Assert.That(events.Count(e => e.Type is "complete" or "error"), Is.EqualTo(1));
        Assert.That(lockHolder.ExitCode, Is.Zero, "the sqlite3 shell held the lock and committed");
        TestContext.Out.WriteLine($"stream ended {locked.Elapsed.TotalSeconds:F1} s after the lock was taken");

        var interactionId = Guid.Parse(events[0].Str("interaction_id")!);
        var joined = string.Concat(events.Where(e => e.Type == "token").Select(e => e.Str("content")));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var messages = await scope.ServiceProvider.GetRequiredService<IInteractionRepository>()
                .GetRecentMessagesAsync(interactionId, 10, CancellationToken.None);
            var answer = messages.Single(m => m.Role == MessageRole.Assistant);
            Assert.That(answer.Content, Is.EqualTo(joined));
            Assert.That(answer.Status, Is.EqualTo(MessageStatus.Completed));
        }
        var ledger = await client.GetJsonAsync("/api/account/points/transactions", user.Token);
        var used = ledger.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("type").GetString() == "used").ToList();
        Assert.That(used, Has.Count.EqualTo(1));
        Assert.That(used[0].GetProperty("points").GetInt32(), Is.EqualTo(complete.Int("points_cost")));
        var account = await client.GetJsonAsync("/api/account", user.Token);
        Assert.That(account.GetProperty("current_points").GetInt32(), Is.EqualTo(30 - complete.Int("points_cost")));

        var thread = await client.GetJsonAsync($"/api/interactions/{interactionId}", user.Token);
        Assert.That(thread.GetProperty("active_generation_id").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), "the thread is free");
        var next = await client.StreamAsync(user.Token, new { message = "What is 2+2?", interaction_id = interactionId });
        Assert.That(next[^1].Type, Is.EqualTo("complete"));
    }

    /// <summary>Starts <c>sqlite3</c> with BEGIN IMMEDIATE on the file and returns once it holds the write lock.</summary>
    private static async Task<Process> HoldWriteLockAsync(string databaseFile)
    {
        var start = new ProcessStartInfo("sqlite3", [databaseFile])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("sqlite3 did not start (apt-get install sqlite3).");
        var seconds = (int)LockHeld.TotalSeconds;
        await process.StandardInput.WriteAsync($"BEGIN IMMEDIATE;\n.print locked\n.shell sleep {seconds}\nCOMMIT;\n.quit\n");
        await process.StandardInput.FlushAsync();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(line, Is.EqualTo("locked"), "sqlite3 took the write lock");
        return process;
    }
}
