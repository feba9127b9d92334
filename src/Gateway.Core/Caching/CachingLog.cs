using Microsoft.Extensions.Logging;

namespace Gateway.Core.Caching;

/// <summary>What the response caches tell operators.</summary>
internal static partial class CachingLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Shared cache tier on Redis unreachable ({Reason}): caches go on in memory alone")]
    public static partial void TierUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Shared cache tier on Redis reachable again")]
    public static partial void TierAvailable(ILogger logger);
}
