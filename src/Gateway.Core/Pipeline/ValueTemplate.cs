using System.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Pipeline;

/// <summary>
/// A header value from the configuration with route parameters in braces (<c>/v1/{rest}</c>), compiled once and filled per
/// request with the parameters as they arrived (still percent-encoded). A parameter may not make the value hold CR, LF or
/// NUL, or begin with <c>//</c> or <c>/\</c> (a protocol-relative URL such as <c>//evil.example</c>): such a request is refused.
/// </summary>
public sealed class ValueTemplate
{
    private readonly Part[] _parts;

    private ValueTemplate(Part[] parts) => _parts = parts;

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

    /// <summary>True when every parameter the value uses is safe in a field value for this request.</summary>
    public bool IsSafeFor(RequestContext context)
    {
        Span<byte> start = stackalloc byte[2];
        var filled = 0;
        var fromParameter = false;
        foreach (var part in _parts)
        {
            var bytes = part.Literal ?? context.Parameter(part.Parameter);
            if (part.Literal is null && bytes.ContainsAny((byte)'\r', (byte)'\n', (byte)0))
            {
                return false;
            }

            for (var i = 0; i < bytes.Length && filled < 2; i++)
            {
                start[filled++] = bytes[i];
                fromParameter |= part.Literal is null;
            }
        }

        return !(fromParameter && filled == 2 && start[0] == (byte)'/' && start[1] is (byte)'/' or (byte)'\\');
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
