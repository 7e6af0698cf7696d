using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace StudyGuru.WebApi.FunctionalTests.Support;

/// <summary>
/// The real API in-process (TestServer) on its own SQLite file, with the offline model. Settings can be
/// overridden per factory, e.g. to share one database file between two instances.
/// </summary>
public sealed class StudyGuruApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private readonly bool _recordModel;
    private readonly string _environment;
    private readonly Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? _configureServices;

    public StudyGuruApiFactory(IDictionary<string, string?>? settings = null, string? databaseFile = null, bool recordModel = false,
        string environment = "Development", Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null)
    {
        _configureServices = configureServices;
        _recordModel = recordModel;
        _environment = environment;
        DataDirectory = Path.Combine(Path.GetTempPath(), "studyguru-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        DatabaseFile = databaseFile ?? Path.Combine(DataDirectory, "studyguru.db");
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:StudyGuru"] = $"Data Source={DatabaseFile};Default Timeout=30",
            ["Media:Root"] = Path.Combine(DataDirectory, "media"),
            ["Ai:Offline:TokenDelayMs"] = "1",
            ["Jwt:SigningKey"] = TestTokens.SigningKey,
            // Every in-process request shares the "unknown" client key; tests of that limit set it themselves.
            ["Limits:AuthAttemptsPer5Minutes"] = "100000",
        };
        if (settings is not null)
            foreach (var (key, value) in settings) _settings[key] = value;
    }

    public string DataDirectory { get; }

    /// <summary>The model seam's recorder, when the factory was made with <c>recordModel: true</c>.</summary>
    public RecordingChatModel? Recorder { get; private set; }

    /// <summary>Extra log lines of every provider, captured for the log canary.</summary>
    public CapturingLoggerProvider Logs { get; } = new();
    public string DatabaseFile { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // Host settings are visible while Program registers services (AddPersistence and AddAi read the
        // configuration there); app configuration callbacks only apply at Build, too late for those.
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (_configureServices is not null) builder.ConfigureTestServices(_configureServices);
        if (_recordModel)
            builder.ConfigureTestServices(services => RecordingChatModel.Decorate(services, recorder => Recorder = recorder));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
