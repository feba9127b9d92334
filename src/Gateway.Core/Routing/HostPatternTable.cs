using System.Text;

namespace Gateway.Core.Routing;

/// <summary>Every host pattern of a route table, numbered, and the lookup of which of them a request host matches.</summary>
internal sealed class HostPatternTable
{
    /// <summary>The id of <see cref="HostPattern.Any"/>.</summary>
    public const int AnyId = 0;

    private readonly byte[][] _exactHosts;
    private readonly byte[][] _wildcardSuffixes;
    private readonly Dictionary<HostPattern, int> _ids = new() { [HostPattern.Any] = AnyId };

    /// <summary>Numbers <paramref name="patterns"/>: any host is 0, then exact hosts, then wildcards, each group in byte order.</summary>
    public HostPatternTable(IEnumerable<HostPattern> patterns)
    {
        var distinct = patterns.Distinct().ToArray();
        var exact = NamesOf(distinct, HostPatternKind.Exact);
        var wildcards = NamesOf(distinct, HostPatternKind.Wildcard);
        _exactHosts = exact.Select(Encoding.ASCII.GetBytes).ToArray();
        _wildcardSuffixes = wildcards.Select(Encoding.ASCII.GetBytes).ToArray();
        for (var i = 0; i < exact.Length; i++)
        {
            _ids[new HostPattern(HostPatternKind.Exact, exact[i])] = 1 + i;
        }

        for (var i = 0; i < wildcards.Length; i++)
        {
            _ids[new HostPattern(HostPatternKind.Wildcard, wildcards[i])] = 1 + exact.Length + i;
        }

        // A host matches at most one exact pattern, at most one wildcard per label count, and "any".
        MaxMatches = 2 + wildcards.Select(suffix => suffix.Count(c => c == '.') + 1).DefaultIfEmpty(0).Max();
    }

    /// <summary>The most ids <see cref="Match"/> can write: the length its span needs.</summary>
    public int MaxMatches { get; }

    /// <summary>The id of a pattern of this table.</summary>
    public int IdOf(HostPattern pattern) => _ids[pattern];

    /// <summary>
    /// Writes the ids of the patterns <paramref name="host"/> matches, most specific first (exact, then wildcards
    /// from the longest suffix, then any host), and returns how many it wrote.
    /// </summary>
    public int Match(ReadOnlySpan<byte> host, Span<int> ids)
    {
        var count = 0;
        var exact = AsciiFolding.IndexOf(_exactHosts, host);
        if (exact >= 0)
        {
            ids[count++] = 1 + exact;
        }

        if (_wildcardSuffixes.Length > 0)
        {
            // Start at 1: a wildcard needs at least one character of label before its suffix.
            for (var dot = 1; dot < host.Length && count < ids.Length - 1; dot++)
            {
                if (host[dot] == '.')
                {
                    var wildcard = AsciiFolding.IndexOf(_wildcardSuffixes, host[(dot + 1)..]);
                    if (wildcard >= 0)
                    {
                        ids[count++] = 1 + _exactHosts.Length + wildcard;
                    }
                }
            }
        }

        ids[count++] = AnyId;
        return count;
    }

    private static string[] NamesOf(HostPattern[] patterns, HostPatternKind kind) =>
        patterns.Where(p => p.Kind == kind).Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
}
