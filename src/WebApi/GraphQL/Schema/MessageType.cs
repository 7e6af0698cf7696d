using GraphQL.Types;
using StudyGuru.Application.Interactions.ListMessages;

namespace StudyGuru.WebApi.GraphQL.Schema;

public sealed class MessageType : ObjectGraphType<MessageDto>
{
    public MessageType()
    {
        Name = "Message";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.ToString());
        Field<NonNullGraphType<StringGraphType>>("role").Resolve(c => c.Source.Role);
        Field<NonNullGraphType<StringGraphType>>("content").Resolve(c => c.Source.Content);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<IntGraphType>>("tokens_used").Resolve(c => c.Source.TokensUsed);
        Field<NonNullGraphType<IntGraphType>>("points_cost").Resolve(c => c.Source.PointsCost);
        // The schema's file_url is non-null: a deleted file (no URL) is left out here; REST shows it with a null URL.
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MediaType>>>>("media")
            .Resolve(c => c.Source.Media.Where(m => m.FileUrl is not null).ToList());
        Field<NonNullGraphType<StringGraphType>>("created_at").Resolve(c => c.Source.CreatedAt.Iso8601());
    }
}
