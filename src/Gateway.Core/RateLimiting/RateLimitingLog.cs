using Microsoft.Extensions.Logging;

namespace Gateway.Core.RateLimiting;

/// <summary>The log messages of the rate limiters.</summary>
internal static partial class RateLimitingLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Rate limit store unreachable: answering {FailureMode} until it answers again")]
    public static partial void StoreUnavailable(ILogger logger, RedisFailureMode failureMode, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Rate limit store reachable again ({DegradedDecisions} degraded decisions so far)")]
    public static partial void StoreRecovered(ILogger logger, long degradedDecisions);
}
