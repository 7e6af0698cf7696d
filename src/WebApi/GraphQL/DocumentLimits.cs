using GraphQLParser.AST;

namespace StudyGuru.WebApi.GraphQL;

/// <summary>
/// Refuses documents deeper than <see cref="MaxDepth"/> or with more than <see cref="MaxFields"/> fields before
/// graphql-dotnet validates them: its validation cost grows with the square of the number of fields and does not
/// stop when the client leaves. One linear walk over the parsed document, fragments expanded, with a budget so
/// that fragments spread many times cannot make the walk itself expensive.
/// </summary>
public static class DocumentLimits
{
    public const int MaxDepth = 15;
    public const int MaxFields = 200;
    /// <summary>Selections visited while expanding fragments, fields or not.</summary>
    private const int MaxVisits = MaxFields * 5;

    /// <returns>Why the document is refused, or null when it is within the limits.</returns>
    public static string? Check(GraphQLDocument document)
    {
        var fragments = new Dictionary<string, GraphQLSelectionSet>(StringComparer.Ordinal);
        var written = 0;
        foreach (var definition in document.Definitions)
        {
            if (definition is GraphQLFragmentDefinition fragment)
                fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment.SelectionSet);
            if (definition is GraphQLExecutableDefinition executable)
                written += CountWrittenFields(executable.SelectionSet, MaxFields + 1 - written);
            if (written > MaxFields) return TooManyFields;
        }

        foreach (var operation in document.Definitions.OfType<GraphQLOperationDefinition>())
        {
            var walk = new ExpandedWalk(fragments);
            walk.Visit(operation.SelectionSet, 1);
            if (walk.TooDeep) return TooDeep;
            if (walk.Fields > MaxFields || walk.Visits > MaxVisits) return TooManyFields;
        }
        return null;
    }

    private static readonly string TooDeep = $"The document is nested deeper than {MaxDepth} levels.";
    private static readonly string TooManyFields = $"The document selects more than {MaxFields} fields.";

    /// <summary>The fields as written, fragments not expanded; stops counting past <paramref name="budget"/>.</summary>
    private static int CountWrittenFields(GraphQLSelectionSet? selectionSet, int budget)
    {
        if (selectionSet is null) return 0;
        var count = 0;
        var pending = new Stack<GraphQLSelectionSet>();
        pending.Push(selectionSet);
        while (pending.Count > 0 && count <= budget)
        {
            foreach (var selection in pending.Pop().Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        count++;
                        if (field.SelectionSet is { } nested) pending.Push(nested);
                        break;
                    case GraphQLInlineFragment inline:
                        pending.Push(inline.SelectionSet);
                        break;
                }
            }
        }
        return count;
    }

    private sealed class ExpandedWalk(IReadOnlyDictionary<string, GraphQLSelectionSet> fragments)
    {
        private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);

        public int Fields { get; private set; }
        public int Visits { get; private set; }
        public bool TooDeep { get; private set; }

        private bool Exhausted => TooDeep || Fields > MaxFields || Visits > MaxVisits;

        public void Visit(GraphQLSelectionSet selectionSet, int depth)
        {
            foreach (var selection in selectionSet.Selections)
            {
                if (Exhausted) return;
                Visits++;
                switch (selection)
                {
                    case GraphQLField field:
                        Fields++;
                        if (depth > MaxDepth)
                        {
                            TooDeep = true;
                            return;
                        }
                        if (field.SelectionSet is { } nested) Visit(nested, depth + 1);
                        break;
                    case GraphQLInlineFragment inline:
                        Visit(inline.SelectionSet, depth);
                        break;
                    case GraphQLFragmentSpread spread:
                        var name = spread.FragmentName.Name.StringValue;
                        // A cycle is left to validation, which reports it; it adds nothing here.
                        if (!fragments.TryGetValue(name, out var fragment) || !_expanding.Add(name)) break;
                        Visit(fragment, depth);
                        _expanding.Remove(name);
                        break;
                }
            }
        }
    }
}
