namespace StudyGuru.WebApi.GraphQL;

/// <summary>A <c>do_conversation</c> whose generation ended with an <c>error</c> event, or ran past the GraphQL time limit.</summary>
/// <param name="Code">One of <see cref="GraphQLErrorCodes"/>.</param>
public sealed class ConversationFailedException(string code, string message, Guid? generationId) : Exception(message)
{
    public string Code { get; } = code;
    public Guid? GenerationId { get; } = generationId;
}
