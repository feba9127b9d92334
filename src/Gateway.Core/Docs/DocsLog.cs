using Microsoft.Extensions.Logging;

namespace Gateway.Core.Docs;

/// <summary>The log messages of the generated documentation.</summary>
internal static partial class DocsLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "the OpenAPI document of cluster {Cluster} at {Url} could not be read ({Reason}); the gateway's document goes on without it")]
    public static partial void FetchFailed(ILogger logger, string cluster, string url, string reason);
}
