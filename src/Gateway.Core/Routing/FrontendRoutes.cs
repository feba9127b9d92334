namespace Gateway.Core.Routing;

/// <summary>
/// The route tables of the default frontend and of the named ones, and the table a request is routed in: chosen by the
/// listener it came on and, where frontends claim hosts, by its host.
/// </summary>
/// <remarks>
/// Listeners are numbered by <see cref="ListenerOf"/>: 0 for the default listeners, then one number for each frontend with
/// listeners of its own, in the ordinal order of their names. Configurations whose frontends have the same listeners (which
/// is all a reload may change to) therefore number them alike. On the default listeners a request is routed in the table of
/// the frontend without listeners that claims its host, else in the default table; on a frontend's own listeners, in that
/// frontend's table, for its hosts only when it names some (another host finds no route).
/// </remarks>
public sealed class FrontendRoutes<TRoute>
{
    private readonly string[] _withListeners;
    private readonly HostMap<RouteTable<TRoute>>[] _byListener;

    /// <summary>
    /// The tables of <paramref name="defaultRoutes"/> and of <paramref name="frontends"/> (each name once, each host
    /// claimed by one frontend); throws <see cref="ArgumentException"/> otherwise.
    /// </summary>
    public FrontendRoutes(RouteTable<TRoute> defaultRoutes, IReadOnlyList<FrontendSpec<TRoute>> frontends)
    {
        ArgumentNullException.ThrowIfNull(frontends);
        if (frontends.DistinctBy(frontend => frontend.Name).Count() != frontends.Count)
        {
            throw new ArgumentException("a frontend name is given twice", nameof(frontends));
        }

        var withListeners = frontends.Where(frontend => frontend.HasListeners).OrderBy(frontend => frontend.Name, StringComparer.Ordinal).ToArray();
        _withListeners = [.. withListeners.Select(frontend => frontend.Name)];
        var noRoutes = RouteTable<TRoute>.Build([]);
        _byListener =
        [
            new(defaultRoutes, [.. frontends.Where(frontend => !frontend.HasListeners).SelectMany(HostsOf)]),
            .. withListeners.Select(frontend => frontend.Hosts.Count == 0
                ? new HostMap<RouteTable<TRoute>>(frontend.Routes, [])
                : new HostMap<RouteTable<TRoute>>(noRoutes, [.. HostsOf(frontend)])),
        ];
        Routes = [.. defaultRoutes.Routes, .. frontends.SelectMany(frontend => frontend.Routes.Routes)];
        Default = defaultRoutes;
        Frontends = frontends;
    }

    /// <summary>The default frontend's table.</summary>
    public RouteTable<TRoute> Default { get; }

    /// <summary>The named frontends, in input order.</summary>
    public IReadOnlyList<FrontendSpec<TRoute>> Frontends { get; }

    /// <summary>Every route of every frontend: the default frontend's first, then each named frontend's, in input order.</summary>
    public IReadOnlyList<RouteEntry<TRoute>> Routes { get; }

    /// <summary>The number of the listeners of <paramref name="frontend"/> (null: the default listeners), for <see cref="For"/>.</summary>
    public int ListenerOf(string? frontend)
    {
        if (frontend is null)
        {
            return 0;
        }

        var index = Array.IndexOf(_withListeners, frontend);
        return index >= 0 ? 1 + index : throw new ArgumentException($"frontend \"{frontend}\" has no listeners of its own", nameof(frontend));
    }

    /// <summary>The table to route a request in that came on <paramref name="listener"/> (see <see cref="ListenerOf"/>) for <paramref name="host"/>.</summary>
    /// <param name="listener">The listener's number.</param>
    /// <param name="host">ASCII bytes of the request host without port, any case; may be empty.</param>
    public RouteTable<TRoute> For(int listener, ReadOnlySpan<byte> host) => _byListener[listener].Find(host);

    private static IEnumerable<KeyValuePair<string, RouteTable<TRoute>>> HostsOf(FrontendSpec<TRoute> frontend) =>
        frontend.Hosts.Select(host => KeyValuePair.Create(host, frontend.Routes));
}
