namespace Gateway.Core.Routing;

/// <summary>A named frontend's compiled routes, and where they are served: on listeners of its own or not, for which hosts (empty: any).</summary>
public sealed record FrontendSpec<TRoute>(string Name, bool HasListeners, IReadOnlyList<string> Hosts, RouteTable<TRoute> Routes);
