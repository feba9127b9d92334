using Gateway.Core.Configuration;
using Gateway.Core.Pipeline;
using Gateway.Core.Routing;

namespace Gateway.Core.Snapshots;

/// <summary>Builds the route table of each frontend of a configuration: every route in the table of the frontend it names, or the default one's.</summary>
internal static class FrontendCompiler
{
    /// <summary>
    /// The default frontend's table and the named frontends' of <paramref name="config"/>, from <paramref name="routes"/> (its
    /// routes compiled, in the same order); a template or ambiguity error is a <see cref="RouteBuildException"/> at the
    /// route's index in the configuration.
    /// </summary>
    public static (RouteTable<GatewayRoute> Default, FrontendSpec<GatewayRoute>[] Named) Compile(GatewayConfig config, IReadOnlyList<RouteSpec<GatewayRoute>> routes)
    {
        return (Table(null), [.. config.Frontends.Select(pair => new FrontendSpec<GatewayRoute>(pair.Key, pair.Value.Listen.Count > 0, pair.Value.Hosts, Table(pair.Key)))]);

        RouteTable<GatewayRoute> Table(string? frontend)
        {
            int[] indices = [.. Enumerable.Range(0, routes.Count).Where(index => config.Routes[index].Frontend == frontend)];
            try
            {
                return RouteTable<GatewayRoute>.Build([.. indices.Select(index => routes[index])]);
            }
            catch (RouteBuildException ex)
            {
                throw new RouteBuildException(indices[ex.RouteIndex], ex.Field, ex.Message);
            }
        }
    }
}
