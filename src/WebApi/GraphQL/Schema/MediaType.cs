using GraphQL.Types;
using StudyGuru.Application.Interactions.ListMessages;

namespace StudyGuru.WebApi.GraphQL.Schema;

public sealed class MediaType : ObjectGraphType<MessageMediaDto>
{
    public MediaType()
    {
        Name = "Media";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.ToString());
        Field<NonNullGraphType<StringGraphType>>("file_type").Resolve(c => c.Source.FileType);
        Field<NonNullGraphType<StringGraphType>>("file_url").Resolve(c => c.Source.FileUrl);
    }
}
