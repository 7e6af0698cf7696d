using GraphQL.Types;

namespace StudyGuru.WebApi.GraphQL.Schema;

/// <summary>The stream request's fields. Read as a dictionary: the use case's validator checks them, as for REST.</summary>
public sealed class DoConversationInputType : InputObjectGraphType
{
    public DoConversationInputType()
    {
        Name = "DoConversationInput";
        Field<IdGraphType>("interaction_id");
        Field<StringGraphType>("message");
        Field<ListGraphType<NonNullGraphType<MediaFileInputType>>>("media_files");
        Field<IntGraphType>("max_tokens");
    }
}

public sealed class MediaFileInputType : InputObjectGraphType
{
    public MediaFileInputType()
    {
        Name = "MediaFileInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<StringGraphType>("url");
    }
}
