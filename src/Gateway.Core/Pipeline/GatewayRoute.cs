using Gateway.Core.Observability;

namespace Gateway.Core.Pipeline;

/// <summary>
/// A route compiled for serving: its steps in <see cref="StepStage"/> order (only those it configures) and its one
/// handler: <see cref="Forward"/> to a cluster, or another <see cref="Handler"/>.
/// </summary>
public sealed class GatewayRoute
{
    /// <summary>A route that forwards to <paramref name="forward"/>.</summary>
    public GatewayRoute(string id, RouteStep[] steps, ForwardTarget forward, RouteMetrics? metrics)
        : this(id, steps, forward, null, metrics)
    {
    }

    /// <summary>A route that <paramref name="handler"/> answers.</summary>
    public GatewayRoute(string id, RouteStep[] steps, IRouteHandler handler, RouteMetrics? metrics)
        : this(id, steps, null, handler, metrics)
    {
    }

    private GatewayRoute(string id, RouteStep[] steps, ForwardTarget? forward, IRouteHandler? handler, RouteMetrics? metrics)
    {
        Id = id;
        Steps = [.. steps.OrderBy(step => step.Stage)];
        AnswersPreflights = Steps.Any(step => step.Stage == StepStage.Cors);
        Forward = forward;
        Handler = handler;
        Metrics = metrics;
    }

    /// <summary>The route's id in the configuration.</summary>
    public string Id { get; }

    /// <summary>The route's steps in the order they run (empty when it has none).</summary>
    public RouteStep[] Steps { get; }

    /// <summary>True when a CORS step answers the route's preflights: then a preflight is routed as the method it asks about.</summary>
    public bool AnswersPreflights { get; }

    /// <summary>Where the route forwards, or null when <see cref="Handler"/> answers.</summary>
    public ForwardTarget? Forward { get; }

    /// <summary>The handler that answers the route's requests, or null when it forwards.</summary>
    public IRouteHandler? Handler { get; }

    /// <summary>The route's metrics, or null when metrics are off.</summary>
    public RouteMetrics? Metrics { get; }
}
