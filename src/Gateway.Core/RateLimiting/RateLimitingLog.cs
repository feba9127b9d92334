using Microsoft.Extensions.Logging;

namespace Gateway.Core.RateLimiting;

/// <summary>The log messages of the rate limiters.</summary>
internal static partial class RateLimitingLog
{
    /// <summary>One line with the failure's innermost reason (an expected condition: no stack trace).</summary>
    [LoggerMessage(EventId = 1, EventName = "ratelimit.store_unavailable", Level = LogLevel.Warning, Message = "Rate limit store unreachable ({Reason}): answering {FailureMode} until it answers again")]
    public static partial void StoreUnavailable(ILogger logger, string reason, RedisFailureMode failureMode);

    [LoggerMessage(EventId = 2, EventName = "ratelimit.store_recovered", Level = LogLevel.Information, Message = "Rate limit store reachable again ({DegradedDecisions} degraded decisions so far)")]
    public static partial void StoreRecovered(ILogger logger, long degradedDecisions);
}
