namespace StudyGuru.WebApi.FunctionalTests.Support;

/// <summary>
/// A test class whose tests share one API instance (its own SQLite file) and one registered student.
/// Tests that need other settings make their own <see cref="StudyGuruApiFactory"/>.
/// </summary>
public abstract class SharedApiTests
{
    protected StudyGuruApiFactory Factory { get; private set; } = null!;
    protected HttpClient Client { get; private set; } = null!;
    protected ApiClient.RegisteredUser Student { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartSharedApi()
    {
        Factory = new StudyGuruApiFactory();
        Client = Factory.CreateClient();
        Student = await Client.RegisterAsync();
    }

    [OneTimeTearDown]
    public void StopSharedApi()
    {
        Client.Dispose();
        Factory.Dispose();
    }
}
