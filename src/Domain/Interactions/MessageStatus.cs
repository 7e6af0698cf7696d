namespace StudyGuru.Domain.Interactions;

public enum MessageStatus
{
    Processing,
    Completed,
    Failed,
    Cancelled,
}
