using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Tests.RateLimiting;

/// <summary>A logger that keeps what it is given, as "Level: message" lines.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
}
