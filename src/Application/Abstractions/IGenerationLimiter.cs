namespace StudyGuru.Application.Abstractions;

public interface IGenerationLimiter
{
    /// Takes one of the user's concurrent-generation slots (named by the generation id) and one unit of
    /// the per-minute budget, or throws RateLimitedException with the numbers of the limit that refused.
    ValueTask AcquireAsync(Guid userId, Guid generationId, CancellationToken cancellationToken);
    /// The request was refused before its stream (409/402...): gives back the slot AND the per-minute unit.
    ValueTask RefundAsync(Guid userId, Guid generationId, CancellationToken cancellationToken);
    /// The generation settled (or was swept): frees its concurrency slot; the per-minute unit stays used.
    ValueTask ReleaseAsync(Guid userId, Guid generationId, CancellationToken cancellationToken);
}
