using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace StudyGuru.Infrastructure.Persistence.Repositories;

/// <summary>
/// Runs a parameterized SQL text of our own through EF Core's relational command (so its logging, diagnostics,
/// interceptors and the context's connection and transaction apply as to any other command), without what
/// <c>ExecuteSqlRaw</c> and <c>SqlQuery</c> add around it: a <c>string.Format</c> of the text, generated
/// parameter names, growing lists and dictionaries, and for <c>SqlQuery</c> the LINQ query pipeline. Those were
/// the largest allocations of a start and a settlement (docs/performance.md, "Start and settlement allocations").
/// Parameters are named <c>@p0</c>, <c>@p1</c>... in the text (both providers accept that spelling) and typed by
/// the provider's own mapping for the value's CLR type (with the model's conventions), as <c>ExecuteSqlRaw</c> types them.
/// The built command (text and typed parameters, immutable) is kept per model, text and the values that are null, as
/// EF Core keeps its compiled queries' commands: a text is written by one call site, so its values have the same CLR
/// types each time; only which of them are null can differ, and that changes the parameters' mapping.
/// </summary>
internal static class RelationalStatements
{
    private const int NamedAhead = 96;
    private static readonly string[] InvariantNames = Enumerable.Range(0, NamedAhead).Select(i => "p" + i).ToArray();
    private static readonly string[] Placeholders = Enumerable.Range(0, NamedAhead).Select(i => "@p" + i).ToArray();

    /// <summary>How value number <paramref name="index"/> is written in the SQL text.</summary>
    public static string Placeholder(int index) => index < NamedAhead ? Placeholders[index] : "@p" + index;

    private static string InvariantName(int index) => index < NamedAhead ? InvariantNames[index] : "p" + index;

    /// <returns>The number of rows the statements changed.</returns>
    public static Task<int> ExecuteAsync(DbContext db, string sql, IReadOnlyList<object?> values, CancellationToken ct) =>
        ExecuteAsync(db, sql.AsSpan(), values, ct, out _);

    /// <summary>Runs <paramref name="sql"/>; the text is copied into a string only the first time it is seen.</summary>
    /// <param name="commandText">The command's text as run (kept with the cached command).</param>
    public static Task<int> ExecuteAsync(
        DbContext db, ReadOnlySpan<char> sql, IReadOnlyList<object?> values, CancellationToken ct, out string commandText)
    {
        var (command, parameters) = Build(db, sql, values);
        commandText = command.CommandText;
        return command.ExecuteNonQueryAsync(parameters, ct);
    }

    /// <returns>The first column of the first row the statement returns as an <see cref="int"/>, or null without a row.</returns>
    public static async Task<int?> ReadIntAsync(DbContext db, string sql, IReadOnlyList<object?> values, CancellationToken ct)
    {
        var (command, parameters) = Build(db, sql, values);
        await using var reader = await command.ExecuteReaderAsync(parameters, ct);
        return await reader.ReadAsync(ct) ? reader.DbDataReader.GetInt32(0) : null;
    }

    /// <summary>Texts with more values than this (a question with many images) are built each time.</summary>
    private const int MaxCachedValues = 64;

    /// <summary>Bounds the cache; the start's and the settlement's shapes are a handful.</summary>
    private const int MaxCachedTexts = 256;

    private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<string, ConcurrentDictionary<ulong, IRelationalCommand>>> Commands = new();

    private static (IRelationalCommand, RelationalCommandParameterObject) Build(DbContext db, ReadOnlySpan<char> sql, IReadOnlyList<object?> values)
    {
        var nulls = 0UL;
        for (var i = 0; i < values.Count && i < MaxCachedValues; i++)
        {
            if (values[i] is null) nulls |= 1UL << i;
        }
        return (CommandFor(db, sql, values, nulls), new RelationalCommandParameterObject(
            db.GetService<IRelationalConnection>(), new PositionalValues(values), null, db,
            db.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.ExecuteSqlRaw));
    }

    private static IRelationalCommand CommandFor(DbContext db, ReadOnlySpan<char> sql, IReadOnlyList<object?> values, ulong nulls)
    {
        if (values.Count > MaxCachedValues) return NewCommand(db, sql.ToString(), values);
        var texts = Commands.GetValue(db.Model,
            static _ => new ConcurrentDictionary<string, ConcurrentDictionary<ulong, IRelationalCommand>>(StringComparer.Ordinal));
        var byText = texts.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!byText.TryGetValue(sql, out var text, out var byNulls))
        {
            if (texts.Count >= MaxCachedTexts) return NewCommand(db, sql.ToString(), values);
            text = sql.ToString();
            byNulls = texts.GetOrAdd(text, static _ => new ConcurrentDictionary<ulong, IRelationalCommand>());
        }
        return byNulls.TryGetValue(nulls, out var cached) ? cached : byNulls.GetOrAdd(nulls, NewCommand(db, text, values));
    }

    private static IRelationalCommand NewCommand(DbContext db, string sql, IReadOnlyList<object?> values)
    {
        var builder = db.GetService<IRelationalCommandBuilderFactory>().Create();
        var typeMappings = db.GetService<IRelationalTypeMappingSource>();
        var model = db.Model;
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            builder.AddParameter(InvariantName(i), Placeholder(i), typeMappings.GetMappingForValue(value, model), nullable: value is null);
        }
        return builder.Append(sql).Build();
    }

    /// <summary>The values by their parameters' invariant names (<c>p0</c>, <c>p1</c>...), read from the list itself
    /// instead of a dictionary filled per command.</summary>
    private sealed class PositionalValues(IReadOnlyList<object?> values) : IReadOnlyDictionary<string, object?>
    {
        public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public IEnumerable<string> Keys => Enumerable.Range(0, values.Count).Select(InvariantName);

        public IEnumerable<object?> Values => values;

        public int Count => values.Count;

        public bool ContainsKey(string key) => IndexOf(key) >= 0;

        public bool TryGetValue(string key, out object? value)
        {
            var index = IndexOf(key);
            value = index >= 0 ? values[index] : null;
            return index >= 0;
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < values.Count; i++) yield return new KeyValuePair<string, object?>(InvariantName(i), values[i]);
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private int IndexOf(string key) =>
            key.Length > 1 && key[0] == 'p'
            && int.TryParse(key.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            && index < values.Count
                ? index
                : -1;
    }
}
