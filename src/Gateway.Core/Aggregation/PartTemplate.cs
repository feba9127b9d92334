using System.Buffers;
using System.Text;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Aggregation;

/// <summary>
/// A part's upstream path and query with placeholders: <c>{name}</c> (a route parameter), <c>{query.NAME}</c> (a query
/// parameter of the request) and <c>{part.field}</c> (a field of another part's answer). Every value is percent-encoded as
/// one path segment before the '?' or one query value after it, so a value can never add a segment, a parameter or a
/// fragment: <c>../admin</c> becomes <c>..%2Fadmin</c> and <c>1&amp;admin=true</c> becomes <c>1%26admin%3Dtrue</c>.
/// </summary>
internal sealed class PartTemplate
{
    /// <summary>The characters a template's literal text may hold: RFC 3986 path and query characters, without '#'.</summary>
    private static readonly SearchValues<char> LiteralChars =
        SearchValues.Create("-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!$&'()*+,;=:@/?%");

    private readonly Piece[] _pieces;

    private PartTemplate(Piece[] pieces, int[] dependencies)
    {
        _pieces = pieces;
        Dependencies = dependencies;
    }

    /// <summary>The parts whose answers fill this template, by index; it can be filled once they have all answered.</summary>
    public int[] Dependencies { get; }

    /// <summary>
    /// Reads <paramref name="text"/> against the route's <paramref name="parameters"/> and the aggregate's <paramref name="parts"/>;
    /// null with <paramref name="problem"/> when it is not a template.
    /// </summary>
    public static PartTemplate? Parse(string text, IReadOnlyList<string> parameters, IReadOnlyList<string> parts, out string problem)
    {
        problem = "";
        if (!text.StartsWith('/'))
        {
            problem = $"\"{text}\" must start with '/'";
            return null;
        }

        var pieces = new List<Piece>();
        var dependencies = new SortedSet<int>();
        var query = false;
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf('{', at);
            var literal = text[at..(open < 0 ? text.Length : open)];
            if (literal.AsSpan().ContainsAnyExcept(LiteralChars) || literal.Contains('}', StringComparison.Ordinal))
            {
                problem = $"\"{text}\": the text between placeholders may hold only URL path and query characters (no spaces, '#' or '}}')";
                return null;
            }

            if (literal.Length > 0)
            {
                pieces.Add(new Piece(PieceKind.Literal, query, Literal: Encoding.ASCII.GetBytes(literal)));
                query |= literal.Contains('?', StringComparison.Ordinal);
            }

            if (open < 0)
            {
                break;
            }

            var close = text.IndexOf('}', open);
            if (close < 0)
            {
                problem = $"\"{text}\": a '{{' is not closed";
                return null;
            }

            if (PlaceholderPiece(text[(open + 1)..close], query, parameters, parts, out problem) is not { } piece)
            {
                return null;
            }

            if (piece.Kind == PieceKind.PartField)
            {
                dependencies.Add(piece.Index);
            }

            pieces.Add(piece);
            at = close + 1;
        }

        return new PartTemplate([.. pieces], [.. dependencies]);
    }

    /// <summary>
    /// Fills the template for the request in <paramref name="context"/> with the answers of the parts it depends on
    /// (<paramref name="answers"/>, by part index); null with <paramref name="problem"/> when a value is missing or would
    /// name another path (empty, <c>.</c> or <c>..</c> as a segment).
    /// </summary>
    public byte[]? Fill(RequestContext context, IReadOnlyList<ReadOnlyMemory<byte>> answers, out string problem)
    {
        problem = "";
        var target = new ArrayBufferWriter<byte>(128);
        foreach (var piece in _pieces)
        {
            if (piece.Kind == PieceKind.Literal)
            {
                target.Write(piece.Literal);
                continue;
            }

            var value = piece.Kind switch
            {
                PieceKind.RouteParameter => Decode(context.Parameter(piece.Index)),
                PieceKind.QueryParameter => Decode(QueryValue(context.Head.QueryBytes, piece.Literal) ?? []),
                _ => piece.Field!.Find(answers[piece.Index].Span) is { } field ? Encoding.UTF8.GetBytes(field) : null,
            };
            if (value is null)
            {
                problem = $"the field \"{piece.Field!.Text}\" is not in the answer of the part it names";
                return null;
            }

            if (!piece.InQuery && value is [] or [(byte)'.'] or [(byte)'.', (byte)'.'])
            {
                problem = "a value for the path is empty, \".\" or \"..\"";
                return null;
            }

            Encode(target, value);
        }

        return target.WrittenSpan.ToArray();
    }

    private static Piece? PlaceholderPiece(string name, bool query, IReadOnlyList<string> parameters, IReadOnlyList<string> parts, out string problem)
    {
        problem = "";
        var split = name.IndexOfAny(['.', '[']);
        var head = split < 0 ? name : name[..split];
        if (split < 0)
        {
            var parameter = IndexOf(parameters, head);
            problem = parameter >= 0 ? ""
                : IndexOf(parts, head) >= 0 ? $"{{{name}}} names a part: name one of its fields, e.g. {{{name}.id}}"
                : $"{{{name}}} is neither a route parameter ({Names(parameters)}), {{query.NAME}} nor a field of a part";
            return parameter >= 0 ? new Piece(PieceKind.RouteParameter, query, Index: parameter) : null;
        }

        var rest = name[split] == '.' ? name[(split + 1)..] : name[split..];
        var part = IndexOf(parts, head);
        if (head == "query" && part < 0)
        {
            var valid = rest.Length > 0 && !rest.AsSpan().ContainsAnyExcept(LiteralChars) && !rest.AsSpan().ContainsAny("&=?/%");
            problem = valid ? "" : $"{{{name}}}: a query parameter is written {{query.NAME}}";
            return valid ? new Piece(PieceKind.QueryParameter, query, Literal: Encoding.ASCII.GetBytes(rest)) : null;
        }

        if (part < 0)
        {
            problem = $"{{{name}}} names no part; the parts are {Names(parts)}";
            return null;
        }

        var field = JsonFieldPath.Parse(rest, out problem);
        return field is null ? null : new Piece(PieceKind.PartField, query, Index: part, Field: field);
    }

    /// <summary>The first value of query parameter <paramref name="name"/> in <paramref name="query"/> (with its '?'), still encoded; null when absent.</summary>
    private static byte[]? QueryValue(ReadOnlySpan<byte> query, ReadOnlySpan<byte> name)
    {
        var rest = query.IsEmpty ? query : query[1..];
        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf((byte)'&');
            var pair = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? default : rest[(amp + 1)..];
            var eq = pair.IndexOf((byte)'=');
            if ((eq < 0 ? pair : pair[..eq]).SequenceEqual(name))
            {
                return eq < 0 ? [] : pair[(eq + 1)..].ToArray();
            }
        }

        return null;
    }

    /// <summary>Percent-decodes <paramref name="value"/>; a '%' without two hex digits stays as it is. Null stays null.</summary>
    private static byte[]? Decode(ReadOnlySpan<byte> value) => Decode(value.ToArray());

    private static byte[]? Decode(byte[]? value)
    {
        if (value is null || value.AsSpan().IndexOf((byte)'%') < 0)
        {
            return value;
        }

        var decoded = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (HttpSyntax.TryDecodeEscape(value, i, out var escaped))
            {
                decoded.Add(escaped);
                i += 2;
            }
            else
            {
                decoded.Add(value[i]);
            }
        }

        return [.. decoded];
    }

    /// <summary>Writes <paramref name="value"/> with every byte but the unreserved ones as %XX.</summary>
    private static void Encode(ArrayBufferWriter<byte> target, ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (HttpSyntax.IsUnreserved(b))
            {
                target.Write([b]);
            }
            else
            {
                target.Write([(byte)'%', (byte)"0123456789ABCDEF"[b >> 4], (byte)"0123456789ABCDEF"[b & 15]]);
            }
        }
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Names(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names.Select(n => $"\"{n}\""));

    /// <summary>What one piece of a template is.</summary>
    private enum PieceKind
    {
        Literal,
        RouteParameter,
        QueryParameter,
        PartField,
    }

    /// <summary>One piece: literal bytes, or a placeholder (route parameter index, query parameter name, or part index and field), and whether it sits in the query.</summary>
    private sealed record Piece(PieceKind Kind, bool InQuery, byte[] Literal = null!, int Index = 0, JsonFieldPath? Field = null);
}
