using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Interactions;
using StudyGuru.Domain.Media;

namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

[TestFixture]
public sealed class MediaRepositoryTests
{
    private SqliteTestDatabase _database = null!;

    [SetUp]
    public async Task SetUp() => _database = await SqliteTestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _database.DisposeAsync();

    [Test]
    public async Task FindOwnedAsync_MixedOwners_ReturnsOnlyTheCallersFiles()
    {
        var ada = await _database.SeedUserAsync(0);
        var bob = await _database.SeedUserAsync(0);
        var adasFile = await _database.SeedAsync(MediaFile.Upload(ada.Id, null, "image/png", 10, DateTime.UtcNow));
        var bobsFile = await _database.SeedAsync(MediaFile.Upload(bob.Id, null, "image/png", 10, DateTime.UtcNow));

        var found = await _database.WithAsync<IMediaRepository, IReadOnlyList<MediaFile>>(
            r => r.FindOwnedAsync([adasFile.Id, bobsFile.Id, Guid.CreateVersion7()], ada.Id, CancellationToken.None));

        Assert.That(found.Select(f => f.Id), Is.EqualTo(new[] { adasFile.Id }));
    }

    [Test]
    public async Task DeleteAsync_FileCarriedByAMessage_DeletesTheRecordAndMarksTheLinkRemoved()
    {
        var user = await _database.SeedUserAsync(0);
        var thread = await _database.SeedAsync(Interaction.Start(user.Id, DateTime.UtcNow));
        var file = await _database.SeedAsync(MediaFile.Upload(user.Id, thread.Id, "image/png", 10, DateTime.UtcNow));
        var other = await _database.SeedAsync(MediaFile.Upload(user.Id, thread.Id, "image/gif", 10, DateTime.UtcNow));
        await _database.SeedAsync(Message.FromUser(thread.Id, "", [(file.Id, file.FileType), (other.Id, other.FileType)], DateTime.UtcNow));

        await using (var scope = _database.CreateScope())
        {
            var repository = scope.ServiceProvider.GetRequiredService<IMediaRepository>();
            var owned = await repository.FindOwnedAsync([file.Id], user.Id, CancellationToken.None);
            await repository.DeleteAsync(owned.Single(), CancellationToken.None);
        }

        var (files, links) = await _database.QueryAsync(async db => (
            await db.MediaFiles.Select(m => m.Id).ToListAsync(),
            await db.MessageMedia.ToDictionaryAsync(l => l.MediaId, l => l.Removed)));
        Assert.That(files, Is.EqualTo(new[] { other.Id }));
        Assert.That(links, Is.EquivalentTo(new Dictionary<Guid, bool> { [file.Id] = true, [other.Id] = false }));
    }

    [Test]
    public async Task Add_NewFile_IsSavedByTheUnitOfWork()
    {
        var user = await _database.SeedUserAsync(0);
        var file = MediaFile.Upload(user.Id, null, "image/webp", 42, DateTime.UtcNow);
        await using (var scope = _database.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<IMediaRepository>().Add(file);
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        }

        var saved = await _database.QueryAsync(db => db.MediaFiles.AsNoTracking().SingleAsync());
        Assert.That((saved.Id, saved.Size, saved.StorageKey), Is.EqualTo((file.Id, 42L, file.StorageKey)));
    }
}
