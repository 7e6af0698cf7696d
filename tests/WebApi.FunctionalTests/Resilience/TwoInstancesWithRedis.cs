using StudyGuru.TestSupport.Redis;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Resilience;

/// <summary>Two app instances sharing one SQLite file and one real Redis server, as behind a load balancer.</summary>
public sealed class TwoInstancesWithRedis : IAsyncDisposable
{
    private TwoInstancesWithRedis(RedisServer redis, StudyGuruApiFactory a, StudyGuruApiFactory b)
    {
        Redis = redis;
        A = a;
        B = b;
        ClientA = a.CreateClient();
        ClientB = b.CreateClient();
    }

    public RedisServer Redis { get; }
    public StudyGuruApiFactory A { get; }
    public StudyGuruApiFactory B { get; }
    public HttpClient ClientA { get; }
    public HttpClient ClientB { get; }

    public static async Task<TwoInstancesWithRedis> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var redis = await RedisServer.StartAsync();
        var shared = new Dictionary<string, string?> { ["Redis:Configuration"] = redis.Configuration };
        if (settings is not null)
            foreach (var (key, value) in settings) shared[key] = value;
        var a = new StudyGuruApiFactory(shared);
        var b = new StudyGuruApiFactory(shared, databaseFile: a.DatabaseFile);
        return new TwoInstancesWithRedis(redis, a, b);
    }

    public async ValueTask DisposeAsync()
    {
        ClientA.Dispose();
        ClientB.Dispose();
        B.Dispose();
        A.Dispose();
        await Redis.DisposeAsync();
    }
}
