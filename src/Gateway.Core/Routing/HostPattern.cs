using System.Diagnostics.CodeAnalysis;

namespace Gateway.Core.Routing;

/// <summary>A validated, lower-cased host filter of a route: an exact host, a <c>*.suffix</c> wildcard, or any host.</summary>
/// <param name="Kind">How the pattern matches.</param>
/// <param name="Name">The exact host, or the wildcard's suffix without "*."; empty for any host.</param>
internal sealed record HostPattern(HostPatternKind Kind, string Name)
{
    private const int MaxHostLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>The pattern of a route without host restriction.</summary>
    public static HostPattern Any { get; } = new(HostPatternKind.Any, "");

    /// <summary>Parses a configured host such as "api.example.com" or "*.example.com", or says what is wrong with it.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out HostPattern? pattern, [NotNullWhen(false)] out string? error)
    {
        pattern = null;
        var isWildcard = text.StartsWith("*.", StringComparison.Ordinal);
        var name = isWildcard ? text[2..] : text;
        error = HasPort(name) ? $"host \"{text}\" must not contain a port"
            : !IsHostName(name) ? $"host \"{text}\" must be a host name (dot-separated labels of letters, digits, '-' or '_') or a wildcard such as \"*.example.com\""
            : null;
        if (error is not null)
        {
            return false;
        }

        pattern = new HostPattern(isWildcard ? HostPatternKind.Wildcard : HostPatternKind.Exact, name.ToLowerInvariant());
        return true;
    }

    /// <summary>The pattern as configured, normalized: "api.example.com", "*.example.com", or "" for any host.</summary>
    public override string ToString() => Kind == HostPatternKind.Wildcard ? "*." + Name : Name;

    /// <summary>Words for error messages.</summary>
    public string Describe() => Kind == HostPatternKind.Any ? "any host" : $"host \"{this}\"";

    private static bool HasPort(string name)
    {
        var colon = name.LastIndexOf(':');
        return colon > 0 && colon < name.Length - 1 && IsHostName(name[..colon]) && name[(colon + 1)..].All(char.IsAsciiDigit);
    }

    private static bool IsHostName(string name) =>
        name.Length is > 0 and <= MaxHostLength
        && name.Split('.').All(label => label.Length is > 0 and <= MaxLabelLength
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
}
