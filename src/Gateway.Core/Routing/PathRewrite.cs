using System.Text;

namespace Gateway.Core.Routing;

/// <summary>The path rewrite for a route's upstream requests, compiled once: strip a prefix, or fill an upstream path template.</summary>
public sealed class PathRewrite
{
    private readonly byte[]? _prefix;
    private readonly RewritePart[] _parts;

    private PathRewrite(byte[]? prefix, RewritePart[] parts)
    {
        _prefix = prefix;
        _parts = parts;
    }

    /// <summary>
    /// Strips the literal <paramref name="prefix"/> (such as "/api") at a segment boundary, ASCII case-insensitively:
    /// "/api/x" becomes "/x", "/api" becomes "/", "/apix" and other paths stay as they are.
    /// </summary>
    /// <exception cref="ArgumentException">The prefix is not a '/'-separated list of non-empty literal segments.</exception>
    public static PathRewrite StripPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length < 2 || prefix[0] != '/' || prefix[^1] == '/')
        {
            throw new ArgumentException($"prefix \"{prefix}\" must start with '/', name at least one segment and not end with '/'", nameof(prefix));
        }

        foreach (var text in prefix[1..].Split('/'))
        {
            if (!TemplateSegment.TryParse(text, out var segment, out var error) || segment.Kind != SegmentKind.Literal || text.Length == 0)
            {
                throw new ArgumentException($"prefix \"{prefix}\": {error ?? "segments must be non-empty literals"}", nameof(prefix));
            }
        }

        return new PathRewrite(Encoding.ASCII.GetBytes(prefix.ToLowerInvariant()), []);
    }

    /// <summary>
    /// Compiles an upstream path template such as "/v2/users/{id}/orders/{*rest}" whose whole-segment references
    /// name parameters of the route. A <c>{*name}</c> reference must be last; when its value is empty it is left out
    /// together with its '/' ("/v2/{*rest}" gives "/v2", "/{*rest}" gives "/").
    /// </summary>
    /// <exception cref="ArgumentException">The template is malformed or names a parameter the route lacks.</exception>
    public static PathRewrite Template(string template, IReadOnlyList<string> routeParameterNames)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(routeParameterNames);
        if (template.Length == 0 || template[0] != '/')
        {
            throw new ArgumentException($"upstream path \"{template}\" must start with '/'", nameof(template));
        }

        var names = routeParameterNames.ToArray();
        var parts = new List<RewritePart>();
        var literal = new StringBuilder();
        var segments = template == "/" ? [""] : template[1..].Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!TemplateSegment.TryParse(segments[i], out var segment, out var error))
            {
                throw new ArgumentException($"upstream path \"{template}\": {error}", nameof(template));
            }

            if (segment.Kind == SegmentKind.Literal)
            {
                literal.Append('/').Append(segment.Text);
                continue;
            }

            if (segment.Kind == SegmentKind.CatchAll && i != segments.Length - 1)
            {
                throw new ArgumentException($"upstream path \"{template}\": \"{segments[i]}\" must be the last segment", nameof(template));
            }

            var index = Array.IndexOf(names, segment.Text);
            if (index < 0)
            {
                throw new ArgumentException(
                    $"upstream path \"{template}\" uses parameter \"{segment.Text}\", which the route does not have "
                    + $"(it has: {(names.Length == 0 ? "none" : string.Join(", ", names))})",
                    nameof(template));
            }

            AddLiteral(parts, literal);
            parts.Add(new RewritePart(null, index, segment.Kind == SegmentKind.CatchAll));
        }

        AddLiteral(parts, literal);
        return new PathRewrite(null, [.. parts]);
    }

    /// <summary>
    /// Writes the rewritten path of a matched request (<paramref name="parameters"/> as <see cref="RouteTable{TRoute}.Match"/>
    /// filled them) into <paramref name="destination"/>; returns the bytes written, or -1 if it is too small.
    /// </summary>
    public int Apply(ReadOnlySpan<byte> path, ReadOnlySpan<Range> parameters, Span<byte> destination)
    {
        var writer = new SpanWriter(destination);
        if (_prefix is not null)
        {
            var hasPrefix = path.Length >= _prefix.Length
                && AsciiFolding.Compare(path[.._prefix.Length], _prefix) == 0
                && (path.Length == _prefix.Length || path[_prefix.Length] == '/');
            var rest = hasPrefix ? path[_prefix.Length..] : path;
            return writer.TryWrite(rest.IsEmpty ? "/"u8 : rest) ? writer.Written : -1;
        }

        foreach (var part in _parts)
        {
            if (part.Literal is not null)
            {
                if (!writer.TryWrite(part.Literal))
                {
                    return -1;
                }

                continue;
            }

            var value = path[parameters[part.Parameter]];
            if (value.IsEmpty && part.IsCatchAll)
            {
                continue;
            }

            if (!writer.TryWrite("/"u8) || !writer.TryWrite(value))
            {
                return -1;
            }
        }

        return writer.Written > 0 || writer.TryWrite("/"u8) ? writer.Written : -1;
    }

    private static void AddLiteral(List<RewritePart> parts, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            parts.Add(new RewritePart(Encoding.ASCII.GetBytes(literal.ToString()), -1, false));
            literal.Clear();
        }
    }

    /// <summary>Appends to a fixed span and tells when it is full.</summary>
    private ref struct SpanWriter(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Written { get; private set; }

        public bool TryWrite(ReadOnlySpan<byte> bytes)
        {
            if (!bytes.TryCopyTo(_destination[Written..]))
            {
                return false;
            }

            Written += bytes.Length;
            return true;
        }
    }
}
