using Microsoft.Extensions.Logging;

namespace Gateway.Host;

/// <summary>The log messages of the gateway process itself.</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 1, EventName = "config.watch_failed", Level = LogLevel.Warning, Message = "cannot watch {File} for changes ({Error}); SIGHUP and POST /config/reload still reload it")]
    public static partial void CannotWatch(ILogger logger, string file, string error);

    [LoggerMessage(EventId = 2, EventName = "redis.unreachable", Level = LogLevel.Warning, Message = "Redis {Endpoints} does not answer; distributed rate limits follow their failure mode until it does, and it is connected in the background")]
    public static partial void RedisUnreachable(ILogger logger, string endpoints);
}
