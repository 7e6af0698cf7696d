using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Media;
using StudyGuru.WebApi.FunctionalTests.Media;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Hostile;

/// <summary>Images are read when the model needs them, never for a request that is refused before its stream.</summary>
public sealed class LazyImageTests
{
    [Test]
    public async Task StreamConversation_RefusedForPoints_ReadsNoImage()
    {
        var reads = new CountingMediaStorage.Counter();
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Points:SignupBonus"] = "0" });
        using var app = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<FileSystemMediaStorage>();
            services.RemoveAll<IMediaStorage>();
            services.AddSingleton<IMediaStorage>(sp => new CountingMediaStorage(sp.GetRequiredService<FileSystemMediaStorage>(), reads));
        }));
        using var client = app.CreateClient();
        var student = await client.RegisterAsync();
        var media = new List<MediaApi.UploadedMedia>();
        for (var i = 0; i < 5; i++) media.Add(await client.UploadAsync(student.Token, ImageSamples.Png(red: (byte)i)));

        using var response = await client.SendAsync(ApiClient.StreamRequest(student.Token,
            new { message = "What do these show?", media_files = media.Select(m => new { id = m.MediaId }) }));

        Assert.That((int)response.StatusCode, Is.EqualTo(402), await response.Content.ReadAsStringAsync());
        Assert.That(reads.Value, Is.Zero, "a refused request read image bytes");
    }

    [Test]
    public async Task StreamConversation_Answered_ReadsEachImageOnceAtMost()
    {
        var reads = new CountingMediaStorage.Counter();
        using var factory = new StudyGuruApiFactory();
        using var app = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<FileSystemMediaStorage>();
            services.RemoveAll<IMediaStorage>();
            services.AddSingleton<IMediaStorage>(sp => new CountingMediaStorage(sp.GetRequiredService<FileSystemMediaStorage>(), reads));
        }));
        using var client = app.CreateClient();
        var student = await client.RegisterAsync();
        var image = await client.UploadAsync(student.Token, ImageSamples.Png());

        var events = await client.StreamAsync(student.Token, new { message = "What is this?", media_files = new[] { new { id = image.MediaId } } });

        Assert.That(events[^1].Type, Is.EqualTo("complete"));
        Assert.That(reads.Value, Is.LessThanOrEqualTo(1));
    }

    private sealed class CountingMediaStorage(IMediaStorage inner, CountingMediaStorage.Counter reads) : IMediaStorage
    {
        public sealed class Counter
        {
            private int _value;
            public int Value => Volatile.Read(ref _value);
            public void Increment() => Interlocked.Increment(ref _value);
        }

        public Task SaveAsync(string storageKey, Stream content, CancellationToken cancellationToken) => inner.SaveAsync(storageKey, content, cancellationToken);

        public Task<byte[]> ReadAllAsync(string storageKey, CancellationToken cancellationToken)
        {
            reads.Increment();
            return inner.ReadAllAsync(storageKey, cancellationToken);
        }

        public Stream OpenRead(string storageKey)
        {
            reads.Increment();
            return inner.OpenRead(storageKey);
        }

        public Task DeleteAsync(string storageKey, CancellationToken cancellationToken) => inner.DeleteAsync(storageKey, cancellationToken);
    }
}
