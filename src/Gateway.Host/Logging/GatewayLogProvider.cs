using Microsoft.Extensions.Logging;

namespace Gateway.Host.Logging;

/// <summary>Sends every <see cref="ILogger"/> message (the gateway's, ASP.NET's, Kestrel's) to the one <see cref="GatewayLog"/>.</summary>
internal sealed class GatewayLogProvider(GatewayLog log) : ILoggerProvider
{
    /// <summary>
    /// Sends every message of <paramref name="logging"/> to <paramref name="log"/> instead of its providers: the gateway's own
    /// from Information up, the libraries' from Warning up. The generic host's report of a failed start (a port in use, with
    /// Kestrel's stack trace) is left out: the caller says it in one line.
    /// </summary>
    public static void Use(ILoggingBuilder logging, GatewayLog log)
    {
        logging.ClearProviders();
        logging.AddProvider(new GatewayLogProvider(log));
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("Gateway", LogLevel.Information);
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new CategoryLogger(log, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    /// <summary>The messages of one category; which levels are written is left to the logging filters.</summary>
    private sealed class CategoryLogger(GatewayLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
                log.Write(logLevel, category, eventId, formatter(state, null), fields, exception);
            }
        }
    }
}
