namespace StudyGuru.Domain.Interactions;

public enum MessageStatus
{
    Processing,
    Completed,
    Failed,
    Cancelled,
    /// <summary>An answer replaced by a regenerated one: kept and listed, but out of the history window and of a restored chat.</summary>
    Superseded,
}
