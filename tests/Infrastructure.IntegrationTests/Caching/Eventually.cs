using System.Diagnostics;

namespace StudyGuru.Infrastructure.IntegrationTests.Caching;

/// <summary>Polls a condition until it holds or a generous deadline passes (reconnection, pub/sub delivery).</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan? deadline = null)
    {
        var limit = deadline ?? DefaultDeadline;
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (elapsed.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(50);
        }
    }
}
