namespace Gateway.Core.Routing;

/// <summary>
/// A value for each of some host patterns (<c>api.example.com</c>, <c>*.example.com</c>) and one for every other host: a request
/// host finds the value of the most specific pattern it matches (exact, then the longest wildcard), without allocating.
/// </summary>
internal sealed class HostMap<TValue>
{
    private readonly HostPatternTable? _patterns;
    private readonly TValue[] _byPatternId;

    /// <summary>
    /// Maps each host of <paramref name="byHost"/> to its value, and any other host to <paramref name="otherHosts"/>; throws
    /// <see cref="ArgumentException"/> for a host that is no host pattern or is given twice.
    /// </summary>
    public HostMap(TValue otherHosts, IReadOnlyList<KeyValuePair<string, TValue>> byHost)
    {
        var patterns = new Dictionary<HostPattern, TValue>();
        foreach (var (host, value) in byHost)
        {
            if (!HostPattern.TryParse(host, out var pattern, out var error))
            {
                throw new ArgumentException(error, nameof(byHost));
            }

            if (!patterns.TryAdd(pattern, value))
            {
                throw new ArgumentException($"host \"{host}\" is given twice", nameof(byHost));
            }
        }

        _byPatternId = new TValue[1 + patterns.Count];
        _byPatternId[HostPatternTable.AnyId] = otherHosts;
        if (patterns.Count > 0)
        {
            _patterns = new HostPatternTable(patterns.Keys);
            foreach (var (pattern, value) in patterns)
            {
                _byPatternId[_patterns.IdOf(pattern)] = value;
            }
        }
    }

    /// <summary>The value for <paramref name="host"/> (ASCII bytes without the port, any case; may be empty).</summary>
    public TValue Find(ReadOnlySpan<byte> host) => _patterns is null ? _byPatternId[HostPatternTable.AnyId] : FindAmongPatterns(_patterns, host);

    /// <summary>The value of the most specific of <paramref name="patterns"/> that <paramref name="host"/> matches; kept apart so that <see cref="Find"/> inlines.</summary>
    private TValue FindAmongPatterns(HostPatternTable patterns, ReadOnlySpan<byte> host)
    {
        Span<int> matched = stackalloc int[patterns.MaxMatches];
        patterns.Match(host, matched);
        return _byPatternId[matched[0]];
    }
}
