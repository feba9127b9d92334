namespace Gateway.Core.Pipeline;

/// <summary>
/// What a route does with a request that its steps let through, when it does not forward to a cluster: answer it from the
/// gateway, whole from memory or streamed (a direct response, an aggregate of several upstream calls, ...).
/// </summary>
public interface IRouteHandler
{
    /// <summary>
    /// Answers the request in <paramref name="context"/> through <paramref name="response"/>. The request body is not read
    /// for a handler (a request with one closes its connection afterwards); <paramref name="cancellationToken"/> fires when
    /// the client goes away.
    /// </summary>
    ValueTask HandleAsync(RequestContext context, IResponseSink response, CancellationToken cancellationToken);
}
