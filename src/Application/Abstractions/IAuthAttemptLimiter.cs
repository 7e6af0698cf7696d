namespace StudyGuru.Application.Abstractions;

/// <summary>
/// The per-client budget of sign-up and sign-in attempts (<c>Limits:AuthAttemptsPer5Minutes</c>), which
/// slows down password guessing and account spraying. Successful and failed attempts count alike.
/// </summary>
public interface IAuthAttemptLimiter
{
    /// <summary>
    /// Counts one attempt of the client named by <paramref name="clientKey"/> (its IP address), or throws
    /// RateLimitedException when the client has used its budget for the current window.
    /// </summary>
    ValueTask CountAttemptAsync(string clientKey, CancellationToken cancellationToken);
}
