using Microsoft.Extensions.Logging;

namespace Gateway.Core.Caching;

/// <summary>What the response caches tell operators.</summary>
internal static partial class CachingLog
{
    [LoggerMessage(EventId = 1, EventName = "cache.tier_unavailable", Level = LogLevel.Warning, Message = "Shared cache tier on Redis unreachable ({Reason}): caches go on in memory alone")]
    public static partial void TierUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 2, EventName = "cache.tier_recovered", Level = LogLevel.Information, Message = "Shared cache tier on Redis reachable again")]
    public static partial void TierAvailable(ILogger logger);
}
