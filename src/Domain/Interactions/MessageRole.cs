namespace StudyGuru.Domain.Interactions;

public enum MessageRole
{
    User,
    Assistant,
}
