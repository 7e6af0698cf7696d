using GraphQL.Types;
using StudyGuru.Application.Interactions.Common;

namespace StudyGuru.WebApi.GraphQL.Schema;

public sealed class InteractionType : ObjectGraphType<InteractionDto>
{
    public InteractionType()
    {
        Name = "Interaction";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.ToString());
        Field<StringGraphType>("title").Resolve(c => c.Source.Title);
        Field<StringGraphType>("summary_title").Resolve(c => c.Source.SummaryTitle);
        Field<NonNullGraphType<BooleanGraphType>>("is_pinned").Resolve(c => c.Source.IsPinned);
        Field<IdGraphType>("active_generation_id").Resolve(c => c.Source.ActiveGenerationId?.ToString());
        Field<NonNullGraphType<StringGraphType>>("created_at").Resolve(c => c.Source.CreatedAt.Iso8601());
        Field<NonNullGraphType<StringGraphType>>("updated_at").Resolve(c => c.Source.UpdatedAt.Iso8601());
    }
}
