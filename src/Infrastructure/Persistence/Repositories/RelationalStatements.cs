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
    public static Task<int> ExecuteAsync(DbContext db, string sql, IReadOnlyList<object?> values, CancellationToken ct)
    {
        var (command, parameters) = Build(db, sql, values);
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
    private const int MaxCachedCommands = 512;

    private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<(string Sql, ulong Nulls), IRelationalCommand>> Commands = new();

    private static (IRelationalCommand, RelationalCommandParameterObject) Build(DbContext db, string sql, IReadOnlyList<object?> values)
    {
        var parameterValues = new Dictionary<string, object?>(values.Count, StringComparer.Ordinal);
        var nulls = 0UL;
        for (var i = 0; i < values.Count; i++)
        {
            parameterValues.Add(InvariantName(i), values[i]);
            if (values[i] is null && i < MaxCachedValues) nulls |= 1UL << i;
        }
        return (CommandFor(db, sql, values, nulls), new RelationalCommandParameterObject(
            db.GetService<IRelationalConnection>(), parameterValues, null, db,
            db.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.ExecuteSqlRaw));
    }

    private static IRelationalCommand CommandFor(DbContext db, string sql, IReadOnlyList<object?> values, ulong nulls)
    {
        if (values.Count > MaxCachedValues) return NewCommand(db, sql, values);
        var cache = Commands.GetValue(db.Model, static _ => new ConcurrentDictionary<(string, ulong), IRelationalCommand>());
        if (cache.TryGetValue((sql, nulls), out var command)) return command;
        command = NewCommand(db, sql, values);
        if (cache.Count < MaxCachedCommands) cache.TryAdd((sql, nulls), command);
        return command;
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
}
