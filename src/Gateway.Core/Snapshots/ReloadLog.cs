using Microsoft.Extensions.Logging;

namespace Gateway.Core.Snapshots;

/// <summary>The log messages of configuration reloads.</summary>
internal static partial class ReloadLog
{
    [LoggerMessage(EventId = 1, EventName = "config.reloaded", Level = LogLevel.Information, Message = "configuration reloaded ({Trigger}): {Source}, version {Version}")]
    public static partial void Reloaded(ILogger logger, string trigger, string source, string version);

    [LoggerMessage(EventId = 2, EventName = "config.refused", Level = LogLevel.Error, Message = "configuration reload ({Trigger}) refused: {Error}; version {Version} keeps serving")]
    public static partial void Refused(ILogger logger, string trigger, string error, string version);

    [LoggerMessage(EventId = 3, EventName = "config.retire_failed", Level = LogLevel.Warning, Message = "closing what the previous configuration alone held failed: {Error}")]
    public static partial void RetireFailed(ILogger logger, string error);
}
