using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StudyGuru.WebApi.FunctionalTests.Support;

/// <summary>Captures every log line (message, state values, scopes and exception) at every level.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;
    public void Dispose() { }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new System.Text.StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values) line.Append(' ').Append(key).Append('=').Append(value);
            owner._scopes.ForEachScope((scope, builder) => builder.Append(" scope=").Append(scope), line);
            if (exception is not null) line.Append(' ').Append(exception);
            owner.Lines.Enqueue(line.ToString());
        }
    }
}
