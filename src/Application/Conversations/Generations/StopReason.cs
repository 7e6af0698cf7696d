namespace StudyGuru.Application.Conversations.Generations;

/// <summary>Why a running generation was stopped before the model finished.</summary>
public enum StopReason
{
    None,
    /// <summary>The last reader left and the disconnect grace ran out.</summary>
    ClientLeft,
    /// <summary>An explicit cancel (REST or GraphQL).</summary>
    UserRequested,
    /// <summary><c>Streaming:MaxDurationSeconds</c> (or the GraphQL limit) was reached.</summary>
    TimeLimit,
    /// <summary>The instance is shutting down after its drain period.</summary>
    ShuttingDown,
    /// <summary>The reservation's lease was lost (swept by another instance).</summary>
    LeaseLost,
}
