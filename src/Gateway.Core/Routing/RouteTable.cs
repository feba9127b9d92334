using System.Diagnostics.CodeAnalysis;

namespace Gateway.Core.Routing;

/// <summary>An immutable compiled router: finds the route for a request's host, method and path without allocating.</summary>
public sealed class RouteTable<TRoute>
{
    /// <summary>The most parameters a route may have; the length the parameters span given to <see cref="Match"/> needs.</summary>
    public const int MaxParameters = RouteTemplate.MaxParameters;

    private readonly RouteNode<TRoute> _root;
    private readonly MethodTable _methods;
    private readonly HostPatternTable _hosts;

    private RouteTable(RouteEntry<TRoute>[] routes, RouteNode<TRoute> root, MethodTable methods, HostPatternTable hosts)
    {
        Routes = Array.AsReadOnly(routes);
        _root = root;
        _methods = methods;
        _hosts = hosts;
    }

    /// <summary>The registered routes, in input order.</summary>
    public IReadOnlyList<RouteEntry<TRoute>> Routes { get; }

    /// <summary>Validates and compiles <paramref name="routes"/>; throws <see cref="RouteBuildException"/> naming the first bad route.</summary>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "The router's contract: RouteTable<TRoute>.Build.")]
    public static RouteTable<TRoute> Build(IReadOnlyList<RouteSpec<TRoute>> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var entries = new RouteEntry<TRoute>[routes.Count];
        var tree = new RouteTreeBuilder<TRoute>();
        var methodNames = new HashSet<string>(StringComparer.Ordinal);
        var hostPatterns = new HashSet<HostPattern>();
        for (var index = 0; index < routes.Count; index++)
        {
            var spec = routes[index];
            ArgumentNullException.ThrowIfNull(spec, nameof(routes));
            if (!RouteTemplate.TryParse(spec.Path, out var template, out var error))
            {
                throw new RouteBuildException(index, "path", error);
            }

            var methods = NormalizeMethods(index, spec.Methods);
            methodNames.UnionWith(methods);
            if (methodNames.Count > MethodTable.Capacity)
            {
                throw new RouteBuildException(index, "methods", $"a route table supports at most {MethodTable.Capacity} distinct methods");
            }

            var hosts = ParseHosts(index, spec.Hosts);
            hostPatterns.UnionWith(hosts);
            var entry = new RouteEntry<TRoute>(
                spec.Id, spec.Value, template.ParameterNames, spec.Path, methods, hosts.Select(h => h.ToString()).ToArray(), spec.Order);
            tree.Add(index, entry, template, hosts);
            entries[index] = entry;
        }

        var methodTable = new MethodTable(methodNames);
        var hostTable = new HostPatternTable(hostPatterns);
        return new RouteTable<TRoute>(entries, tree.Compile(methodTable, hostTable), methodTable, hostTable);
    }

    /// <summary>Finds the route for a request.</summary>
    /// <param name="host">ASCII bytes of the request host without port, any case; may be empty.</param>
    /// <param name="method">ASCII bytes of the request method, compared exactly (e.g. "GET").</param>
    /// <param name="path">Raw request path starting with '/', without the query string, not percent-decoded.</param>
    /// <param name="parameters">
    /// At least <see cref="MaxParameters"/> long; on <see cref="RouteMatchStatus.Matched"/> its first
    /// <c>ParameterNames.Count</c> entries are the parameter ranges within <paramref name="path"/>, in template order.
    /// </param>
    /// <param name="route">The matched route, or null.</param>
    /// <param name="allow">On <see cref="RouteMatchStatus.MethodNotAllowed"/>, the Allow header value ("GET, POST"); otherwise null.</param>
    public RouteMatchStatus Match(
        ReadOnlySpan<byte> host,
        ReadOnlySpan<byte> method,
        ReadOnlySpan<byte> path,
        Span<Range> parameters,
        out RouteEntry<TRoute>? route,
        out string? allow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parameters.Length, MaxParameters);
        route = null;
        allow = null;
        if (path.IsEmpty || path[0] != '/')
        {
            return RouteMatchStatus.NotFound;
        }

        Span<int> hostIds = stackalloc int[_hosts.MaxMatches];
        var search = new RouteSearch<TRoute>(path, hostIds[.._hosts.Match(host, hostIds)], _methods.BitOf(method), parameters);
        if (search.Visit(_root, 0, 0))
        {
            route = search.Result;
            return RouteMatchStatus.Matched;
        }

        if (search.RejectedMethods != 0)
        {
            allow = _methods.AllowValue(search.RejectedMethods);
            return RouteMatchStatus.MethodNotAllowed;
        }

        return RouteMatchStatus.NotFound;
    }

    /// <summary>
    /// Every route whose template matches <paramref name="path"/> (normalized) whatever its host and methods, in the order
    /// <see cref="Match"/> tries them, to explain a match; allocates, so never on the request path.
    /// </summary>
    public IReadOnlyList<RouteContender<TRoute>> Contenders(string host, string method, string path) =>
        RouteContenders.Find(_root, _hosts, _methods, host, method, path);

    private static string[] NormalizeMethods(int index, IReadOnlyList<string> methods)
    {
        var normalized = new List<string>();
        foreach (var method in methods)
        {
            if (!MethodTable.TryNormalize(method, out var name, out var error))
            {
                throw new RouteBuildException(index, "methods", error);
            }

            if (!normalized.Contains(name))
            {
                normalized.Add(name);
            }
        }

        return [.. normalized];
    }

    private static HostPattern[] ParseHosts(int index, IReadOnlyList<string> hosts)
    {
        var patterns = new List<HostPattern>();
        foreach (var host in hosts)
        {
            if (!HostPattern.TryParse(host, out var pattern, out var error))
            {
                throw new RouteBuildException(index, "hosts", error);
            }

            if (!patterns.Contains(pattern))
            {
                patterns.Add(pattern);
            }
        }

        return [.. patterns];
    }
}
