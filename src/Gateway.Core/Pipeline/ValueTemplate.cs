using System.Buffers;
using System.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Pipeline;

/// <summary>
/// A header value from the configuration with route parameters in braces (<c>/v1/{rest}</c>), compiled once and filled per
/// request with the parameters as they arrived (still percent-encoded). A parameter may not make the value hold CR, LF or
/// NUL, nor decide where a URL points (<c>//evil.example</c>, <c>https://evil.example</c>): such a request is refused.
/// </summary>
public sealed class ValueTemplate
{
    private static readonly SearchValues<byte> SchemeChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+.-"u8);

    /// <summary>The longest scheme looked for in a filled value (<c>https</c>, <c>wss</c>, ...; longer ones are not URLs a client follows).</summary>
    private const int MaxSchemeLength = 16;

    private readonly Part[] _parts;
    private readonly int _leadingLiteral;

    private ValueTemplate(Part[] parts)
    {
        _parts = parts;
        _leadingLiteral = parts.Length > 0 && parts[0].Literal is { } leading ? leading.Length : 0;
    }

    /// <summary>
    /// Compiles <paramref name="text"/>; <paramref name="parameterNames"/> are the route's. Throws <see cref="ArgumentException"/>
    /// saying what is wrong: a character a field value cannot hold, an unclosed brace, a parameter the route lacks.
    /// </summary>
    public static ValueTemplate Parse(string text, IReadOnlyList<string> parameterNames)
    {
        var parts = new List<Part>();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf('{', position);
            var close = text.IndexOf('}', position);
            if (close >= 0 && (open < 0 || close < open))
            {
                throw new ArgumentException($"\"{text}\" has a '}}' without its '{{'");
            }

            var end = open < 0 ? text.Length : open;
            if (end > position)
            {
                parts.Add(new Part(Literal(text, text[position..end]), -1));
            }

            if (open < 0)
            {
                break;
            }

            if (close < 0)
            {
                throw new ArgumentException($"\"{text}\" has a '{{' without its '}}'");
            }

            var name = text[(open + 1)..close];
            var index = parameterNames.ToList().IndexOf(name);
            if (index < 0)
            {
                var names = parameterNames.Count == 0 ? "none" : string.Join(", ", parameterNames);
                throw new ArgumentException($"\"{text}\" uses parameter \"{name}\", which the route does not have (it has: {names})");
            }

            parts.Add(new Part(null, index));
            position = close + 1;
        }

        return new ValueTemplate([.. parts]);
    }

    /// <summary>
    /// True when the filled value is safe for this request: no parameter holds CR, LF or NUL, and the parameters do not
    /// decide where the value points. A value that begins with <c>//</c> or <c>/\</c> (protocol-relative) or with a scheme
    /// and <c>//</c> (absolute, such as <c>https://evil.example</c>) is refused unless the template's own leading text
    /// already says so (the operator's <c>//cdn.example/{path}</c> stands).
    /// </summary>
    public bool IsSafeFor(RequestContext context)
    {
        Span<byte> start = stackalloc byte[MaxSchemeLength + 3];
        var filled = 0;
        foreach (var part in _parts)
        {
            var bytes = part.Literal ?? context.Parameter(part.Parameter);
            if (part.Literal is null && bytes.ContainsAny((byte)'\r', (byte)'\n', (byte)0))
            {
                return false;
            }

            var take = Math.Min(bytes.Length, start.Length - filled);
            bytes[..take].CopyTo(start[filled..]);
            filled += take;
        }

        var authority = AuthorityStart(start[..filled]);
        return authority < 0 || authority <= _leadingLiteral;
    }

    /// <summary>Adds the field <paramref name="name"/> with this value filled for <paramref name="context"/> (checked with <see cref="IsSafeFor"/> first).</summary>
    public void AddTo(FieldList fields, byte[] name, RequestContext context)
    {
        fields.BeginField(name);
        foreach (var part in _parts)
        {
            fields.AppendValue(part.Literal ?? context.Parameter(part.Parameter));
        }

        fields.EndField();
    }

    /// <summary>
    /// Where the authority of <paramref name="value"/> begins when it is an absolute or protocol-relative URL (after
    /// <c>//</c>, <c>/\</c> or <c>scheme://</c>), else -1.
    /// </summary>
    private static int AuthorityStart(ReadOnlySpan<byte> value)
    {
        if (value.Length >= 2 && value[0] == (byte)'/' && value[1] is (byte)'/' or (byte)'\\')
        {
            return 2;
        }

        var colon = value.IndexOf((byte)':');
        var isScheme = colon > 0 && char.IsAsciiLetter((char)value[0])
            && !value[1..colon].ContainsAnyExcept(SchemeChars);
        return isScheme && value.Length >= colon + 3 && value[colon + 1] is (byte)'/' or (byte)'\\' && value[colon + 2] is (byte)'/' or (byte)'\\'
            ? colon + 3
            : -1;
    }

    private static byte[] Literal(string whole, string literal)
    {
        foreach (var c in literal)
        {
            if (c is < ' ' and not '\t' or >= '\u007f')
            {
                throw new ArgumentException($"\"{whole}\" holds a character a header value cannot carry (only printable ASCII, space and tab)");
            }
        }

        return Encoding.ASCII.GetBytes(literal);
    }

    /// <summary>A literal piece of the value, or (when <see cref="Literal"/> is null) the index of a route parameter.</summary>
    private readonly record struct Part(byte[]? Literal, int Parameter);
}
