using GraphQL.Types;

namespace StudyGuru.WebApi.GraphQL.Schema;

/// <summary>A whole answer of <c>do_conversation</c>.</summary>
public sealed record ConversationResponse(
    bool Success,
    string? Message,
    Guid InteractionId,
    bool IsNewInteraction,
    string AiResponse,
    int TokensUsed,
    int PointsCost,
    string FinishReason);

public sealed class ConversationResponseType : ObjectGraphType<ConversationResponse>
{
    public ConversationResponseType()
    {
        Name = "ConversationResponse";
        Field<NonNullGraphType<BooleanGraphType>>("success").Resolve(c => c.Source.Success);
        Field<StringGraphType>("message").Resolve(c => c.Source.Message);
        Field<NonNullGraphType<IdGraphType>>("interaction_id").Resolve(c => c.Source.InteractionId.ToString());
        Field<NonNullGraphType<BooleanGraphType>>("is_new_interaction").Resolve(c => c.Source.IsNewInteraction);
        Field<NonNullGraphType<StringGraphType>>("ai_response").Resolve(c => c.Source.AiResponse);
        Field<NonNullGraphType<IntGraphType>>("tokens_used").Resolve(c => c.Source.TokensUsed);
        Field<NonNullGraphType<IntGraphType>>("points_cost").Resolve(c => c.Source.PointsCost);
        Field<NonNullGraphType<StringGraphType>>("finish_reason").Resolve(c => c.Source.FinishReason);
    }
}
