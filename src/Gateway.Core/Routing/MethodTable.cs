using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Gateway.Core.Routing;

/// <summary>The distinct methods of a route table, one bit each, and the Allow header value of a method set.</summary>
internal sealed class MethodTable
{
    /// <summary>The most distinct methods one table can hold: one bit each in a <see cref="ulong"/>.</summary>
    public const int Capacity = 64;

    private const string TokenSymbols = "!#$%&'*+-.^_`|~";

    private readonly string[] _names;
    private readonly byte[][] _bytes;
    private readonly ConcurrentDictionary<ulong, string> _allowValues = new();

    /// <summary>Creates the table of <paramref name="names"/> (normalized, at most <see cref="Capacity"/> distinct).</summary>
    public MethodTable(IEnumerable<string> names)
    {
        _names = names.Distinct().Order(StringComparer.Ordinal).ToArray();
        _bytes = _names.Select(Encoding.ASCII.GetBytes).ToArray();
    }

    /// <summary>Validates a configured method and upper-cases it when it is made of ASCII letters only ("get" becomes "GET").</summary>
    public static bool TryNormalize(string method, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out string? error)
    {
        normalized = null;
        if (method.Length == 0 || !method.All(c => char.IsAsciiLetterOrDigit(c) || TokenSymbols.Contains(c, StringComparison.Ordinal)))
        {
            error = $"method \"{method}\" is not an HTTP method token";
            return false;
        }

        normalized = method.All(char.IsAsciiLetter) ? method.ToUpperInvariant() : method;
        error = null;
        return true;
    }

    /// <summary>The bit set of <paramref name="methods"/>, all of which are in the table; 0 for an empty list (any method).</summary>
    public ulong MaskOf(IReadOnlyList<string> methods)
    {
        var mask = 0UL;
        foreach (var method in methods)
        {
            mask |= 1UL << Array.BinarySearch(_names, method, StringComparer.Ordinal);
        }

        return mask;
    }

    /// <summary>The bit of the request method (compared exactly), or 0 when no route names it.</summary>
    public ulong BitOf(ReadOnlySpan<byte> method)
    {
        for (var bit = 0; bit < _bytes.Length; bit++)
        {
            if (method.SequenceEqual(_bytes[bit]))
            {
                return 1UL << bit;
            }
        }

        return 0;
    }

    /// <summary>Prepares the Allow value of <paramref name="mask"/> at build time.</summary>
    public void Precompute(ulong mask) => _allowValues.TryAdd(mask, Format(mask));

    /// <summary>"GET, POST": the sorted names of the non-empty <paramref name="mask"/>; created once per set and then reused.</summary>
    public string AllowValue(ulong mask) =>
        _allowValues.TryGetValue(mask, out var value) ? value : _allowValues.GetOrAdd(mask, Format(mask));

    private string Format(ulong mask) =>
        string.Join(", ", _names.Where((_, bit) => (mask & (1UL << bit)) != 0));
}
