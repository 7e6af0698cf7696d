using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;

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
    private readonly StringBuilder _sql = new(512);
    private readonly List<object?> _values = new(24);

    public bool IsEmpty => _sql.Length == 0;

    /// <summary>Adds <c>INSERT INTO table (columns) VALUES (values)</c>; <paramref name="values"/> line up with <paramref name="columns"/>.</summary>
    public SqlBatch Insert(string table, string columns, params object?[] values)
    {
        _sql.Append("INSERT INTO ").Append(table).Append(" (").Append(columns).Append(") VALUES (");
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0) _sql.Append(", ");
            AppendValue(values[i]);
        }
        _sql.Append(");\n");
        return this;
    }

    /// <summary>Adds a statement whose <c>{0}</c>, <c>{1}</c>... name <paramref name="values"/> (numbered per statement).</summary>
    public SqlBatch Statement(string format, params object?[] values)
    {
        var offset = _values.Count;
        _values.AddRange(values);
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '{')
            {
                var end = format.IndexOf('}', i);
                var index = int.Parse(format.AsSpan(i + 1, end - i - 1), System.Globalization.CultureInfo.InvariantCulture);
                _sql.Append('{').Append(offset + index).Append('}');
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

    private void AppendValue(object? value)
    {
        _sql.Append('{').Append(_values.Count).Append('}');
        _values.Add(value is Enum ? value.ToString() : value);
    }

    /// <summary>Runs the batch on the context's connection and transaction. A unique index that refuses a row is
    /// reported as the same 409 <see cref="StudyGuruDbContext.SaveChangesAsync(bool, CancellationToken)"/> gives.</summary>
    public async Task<int> ExecuteAsync(StudyGuruDbContext db, CancellationToken ct)
    {
        try
        {
            return await db.Database.ExecuteSqlRawAsync(_sql.ToString(), _values!, ct);
        }
        catch (DbException exception) when (UniqueConstraintViolation.Matches(exception))
        {
            throw UniqueConstraintViolation.ToConflict(exception);
        }
    }

    /// <summary>The SQL text (tests and diagnostics).</summary>
    public override string ToString() => _sql.ToString();
}
