namespace StudyGuru.Domain.Generations;

/// <summary>Which endpoint started a generation; a resumed stream keeps that endpoint's event format.</summary>
public enum GenerationFormat
{
    Conversation,
    Simple,
    GraphQL,
    /// <summary>The AI SDK's UI message stream (POST /api/chat).</summary>
    AiSdk,
}
