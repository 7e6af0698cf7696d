namespace StudyGuru.Application.Abstractions;

/// <summary>Saves what the repositories' tracked entities changed, in one transaction.</summary>
public interface IUnitOfWork
{
    Task SaveChangesAsync(CancellationToken cancellationToken);
}
