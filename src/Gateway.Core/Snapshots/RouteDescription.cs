using Gateway.Core.Aggregation;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Snapshots;

/// <summary>
/// What a compiled route does, for operators: the cluster it forwards to, or the status it responds with, or the parts it
/// aggregates (exactly one of the three), and its steps by name in run order.
/// </summary>
/// <param name="Cluster">The cluster it forwards to, or null.</param>
/// <param name="Respond">The status of its direct response, or null.</param>
/// <param name="Aggregate">The names of its aggregate's parts, or null.</param>
/// <param name="Steps">Its steps' names (<c>ipFilter</c>, <c>cors</c>, <c>rateLimit</c>, ...), in the order they run.</param>
public sealed record RouteDescription(string? Cluster, int? Respond, IReadOnlyList<string>? Aggregate, IReadOnlyList<string> Steps)
{
    /// <summary>The description of <paramref name="route"/>.</summary>
    public static RouteDescription Of(GatewayRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        IReadOnlyList<string> steps = [.. route.Steps.Select(step => NameOf(step.Stage))];
        return route.Handler switch
        {
            DirectResponseHandler respond => new(null, respond.Status, null, steps),
            AggregateHandler aggregate => new(null, null, [.. aggregate.PartNames], steps),
            _ => new(route.Forward?.Cluster.Id, null, null, steps),
        };
    }

    /// <summary>The configuration-style name of <paramref name="stage"/>: <c>IpFilter</c> is <c>ipFilter</c>.</summary>
    public static string NameOf(StepStage stage)
    {
        var name = stage.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
