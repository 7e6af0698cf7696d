using GraphQL.Types;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Interactions.Common;

namespace StudyGuru.WebApi.GraphQL.Schema;

/// <summary>The REST page under the original system's names (<c>result</c> for the items).</summary>
public sealed class InteractionPageType : ObjectGraphType<Page<InteractionDto>>
{
    public InteractionPageType()
    {
        Name = "InteractionPage";
        Field<NonNullGraphType<IntGraphType>>("total").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<BooleanGraphType>>("has_next_page").Resolve(c => c.Source.HasNextPage);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<InteractionType>>>>("result").Resolve(c => c.Source.Items);
    }
}
