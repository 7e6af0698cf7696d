using GraphQL.Conversion;

namespace StudyGuru.WebApi.GraphQL.Schema;

/// <summary>The original system's schema; names are kept exactly as declared (snake_case), not camelCased.</summary>
public sealed class StudyGuruSchema : global::GraphQL.Types.Schema
{
    public StudyGuruSchema(IServiceProvider services) : base(services)
    {
        NameConverter = DefaultNameConverter.Instance;
        Query = services.GetRequiredService<QueryType>();
        Mutation = services.GetRequiredService<MutationType>();
    }
}
