using System.Data.Common;
using System.Text;

namespace StudyGuru.Infrastructure.Persistence.Repositories;

/// <summary>
/// Several parameterized statements sent as one command: the inserts and updates of a start or a settlement
/// in one round trip, without the change tracker (docs/performance.md, "third round"). Table and column names
/// are written unquoted and exactly as the model names them, so that the one text is valid SQL on SQLite and on
/// SQL Server; every value is a parameter, typed by the provider's own mapping for its CLR type (the same
/// mapping EF uses for these columns: enums go in as their names, as the model stores them).
/// </summary>
internal sealed class SqlBatch
{
    /// <summary>The text's builder of the last batch run on this thread, kept for the next one (on SQLite, every
    /// batch is written on the one writer thread); a new one per batch was a 2 KB array each start and settlement.</summary>
    [ThreadStatic]
    private static StringBuilder? _spareText;

    private StringBuilder _sql = TakeSpareText();
    private readonly List<object?> _values = new(32);
    private string? _executedText;

    private static StringBuilder TakeSpareText()
    {
        var text = _spareText ?? new StringBuilder(2048);
        _spareText = null;
        return text.Clear();
    }

    public bool IsEmpty => (_executedText?.Length ?? _sql.Length) == 0;

    /// <summary>Adds <c>INSERT INTO table (columns) VALUES (values)</c>; <paramref name="values"/> line up with <paramref name="columns"/>.</summary>
    public SqlBatch Insert(string table, string columns, params object?[] values)
    {
        _sql.Append("INSERT INTO ").Append(table).Append(" (").Append(columns).Append(") VALUES (");
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0) _sql.Append(", ");
            _sql.Append(RelationalStatements.Placeholder(ParameterOf(values[i])));
        }
        _sql.Append(");\n");
        return this;
    }

    /// <summary>Adds a statement whose <c>{0}</c>, <c>{1}</c>... name <paramref name="values"/> (numbered per statement).</summary>
    public SqlBatch Statement(string format, params object?[] values)
    {
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '{')
            {
                var end = format.IndexOf('}', i);
                var index = int.Parse(format.AsSpan(i + 1, end - i - 1), System.Globalization.CultureInfo.InvariantCulture);
                _sql.Append(RelationalStatements.Placeholder(ParameterOf(values[index])));
                i = end;
            }
            else
            {
                _sql.Append(c);
            }
        }
        _sql.Append(";\n");
        return this;
    }

    /// <summary>
    /// The parameter that carries <paramref name="value"/>: an equal value of the same type already in the batch is
    /// shared (a start names its user, thread, generation and time in several rows). Fewer parameters are fewer
    /// objects, and SQLite binds every parameter of a command to each of its statements.
    /// </summary>
    private int ParameterOf(object? value)
    {
        if (value is Enum) value = value.ToString();
        for (var i = 0; i < _values.Count; i++)
        {
            var existing = _values[i];
            if (value is null ? existing is null : existing is not null && existing.GetType() == value.GetType() && existing.Equals(value)
                    && (value is not DateTime time || ((DateTime)existing).Kind == time.Kind))
                return i;
        }
        _values.Add(value);
        return _values.Count - 1;
    }

    /// <summary>Runs the batch on the context's connection and transaction. A unique index that refuses a row is
    /// reported as the same 409 <see cref="StudyGuruDbContext.SaveChangesAsync(bool, CancellationToken)"/> gives.</summary>
    public async Task<int> ExecuteAsync(StudyGuruDbContext db, CancellationToken ct)
    {
        try
        {
            return await StartExecuting(db, ct);
        }
        catch (DbException exception) when (UniqueConstraintViolation.Matches(exception))
        {
            throw UniqueConstraintViolation.ToConflict(exception);
        }
    }

    /// <summary>Hands the text to the command cache as it stands in the builder (one chunk, as long as it fits the
    /// builder's capacity): a text seen before is not copied into a new string (docs/performance.md).</summary>
    private Task<int> StartExecuting(StudyGuruDbContext db, CancellationToken ct)
    {
        if (_executedText is not null) return RelationalStatements.ExecuteAsync(db, _executedText, _values, ct);
        ReadOnlyMemory<char> text = default;
        var chunks = 0;
        foreach (var chunk in _sql.GetChunks())
        {
            text = chunk;
            chunks++;
        }
        if (chunks != 1) text = _sql.ToString().AsMemory();
        var execution = RelationalStatements.ExecuteAsync(db, text.Span, _values, ct, out _executedText);
        if (_sql.Capacity <= 16 * 1024) _spareText = _sql;
        _sql = new StringBuilder(0);
        return execution;
    }

    /// <summary>The SQL text (tests and diagnostics).</summary>
    public override string ToString() => _executedText ?? _sql.ToString();
}
