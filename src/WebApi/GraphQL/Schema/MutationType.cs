using GraphQL;
using GraphQL.Types;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Application.Interactions.CancelGeneration;
using StudyGuru.Application.Interactions.DeleteInteraction;
using StudyGuru.Application.Interactions.UpdateInteraction;
using StudyGuru.Domain.Generations;

namespace StudyGuru.WebApi.GraphQL.Schema;

/// <summary>Each field sends the same mediator request as its REST endpoint; mutations run one after another.</summary>
public sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";

        Field<NonNullGraphType<ConversationResponseType>>("do_conversation")
            .Argument<NonNullGraphType<DoConversationInputType>>("input")
            .ResolveAsync(async c =>
            {
                var query = ToStreamQuery(c.UserId(), c.GetArgument<Dictionary<string, object?>>("input"));
                return await c.RequestServices!.GetRequiredService<ConversationToCompletion>().RunAsync(query, c.CancellationToken);
            });

        Field<NonNullGraphType<InteractionType>>("update_interaction_title")
            .Argument<NonNullGraphType<IdGraphType>>("interaction_id")
            .Argument<NonNullGraphType<StringGraphType>>("title")
            .ResolveAsync(async c => await c.Mediator().Send(
                new UpdateInteractionCommand(c.UserId(), c.IdArgument("interaction_id"), c.GetArgument<string>("title"), null),
                c.CancellationToken));

        Field<NonNullGraphType<InteractionType>>("pin_interaction")
            .Argument<NonNullGraphType<IdGraphType>>("interaction_id")
            .Argument<NonNullGraphType<BooleanGraphType>>("is_pinned")
            .ResolveAsync(async c => await c.Mediator().Send(
                new UpdateInteractionCommand(c.UserId(), c.IdArgument("interaction_id"), null, c.GetArgument<bool>("is_pinned")),
                c.CancellationToken));

        Field<NonNullGraphType<BooleanGraphType>>("delete_interaction")
            .Argument<NonNullGraphType<IdGraphType>>("interaction_id")
            .ResolveAsync(async c =>
            {
                await c.Mediator().Send(new DeleteInteractionCommand(c.UserId(), c.IdArgument("interaction_id")), c.CancellationToken);
                return true;
            });

        Field<NonNullGraphType<BooleanGraphType>>("cancel_generation")
            .Argument<NonNullGraphType<IdGraphType>>("interaction_id")
            .ResolveAsync(async c =>
            {
                await c.Mediator().Send(new CancelGenerationCommand(c.UserId(), c.IdArgument("interaction_id")), c.CancellationToken);
                return true;
            });
    }

    /// <summary>Ids stay strings, as the stream endpoint receives them: the use case's validator names a malformed one.</summary>
    private static StreamConversationQuery ToStreamQuery(Guid userId, Dictionary<string, object?> input)
    {
        var mediaFiles = input.GetValueOrDefault("media_files") is IEnumerable<object?> files
            ? files.OfType<Dictionary<string, object?>>()
                .Select(f => new MediaFileInput(f.GetValueOrDefault("id")?.ToString(), f.GetValueOrDefault("url") as string))
                .ToList()
            : null;
        return new StreamConversationQuery(
            userId,
            input.GetValueOrDefault("interaction_id")?.ToString(),
            input.GetValueOrDefault("message") as string,
            mediaFiles,
            input.GetValueOrDefault("max_tokens") is int maxTokens ? maxTokens : null,
            GenerationFormat.GraphQL);
    }
}
