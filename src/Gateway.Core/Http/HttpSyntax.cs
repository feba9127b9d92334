using System.Buffers;
using System.Text;

namespace Gateway.Core.Http;

/// <summary>Byte classes of RFC 9110/9112 grammar, as vectorizable search sets.</summary>
internal static class HttpSyntax
{
    /// <summary>tchar: the characters of a token (method, field name, coding).</summary>
    public static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Bytes never allowed in a field value: controls other than HTAB, and DEL.</summary>
    public static readonly SearchValues<byte> ForbiddenInFieldValue = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F"u8);

    /// <summary>Bytes allowed in a request target: visible ASCII except '#'.</summary>
    public static readonly SearchValues<byte> TargetChars = SearchValues.Create(
        "!\"$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    /// <summary>Bytes allowed in a host name or IPv4 address (RFC 3986 reg-name less ',').</summary>
    public static readonly SearchValues<byte> HostChars =
        SearchValues.Create("-._~!$&'()*+;=%0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Bytes allowed inside an IP-literal's brackets.</summary>
    public static readonly SearchValues<byte> IpLiteralChars = SearchValues.Create("0123456789ABCDEFabcdef:.vV-_~!$&'()*+;=%"u8);

    /// <summary>
    /// Reads one field line (RFC 9112 §5: <c>name ":" OWS value OWS</c>, the bytes between two CRLFs, starting at
    /// <paramref name="lineStart"/> in the head): the name a token right before the colon, no obs-fold, no control byte in
    /// the value. On success fills the name and (trimmed) value offsets of <paramref name="field"/>.
    /// </summary>
    public static FieldLineError ReadFieldLine(ReadOnlySpan<byte> line, int lineStart, ref HeaderField field)
    {
        if (line[0] is (byte)' ' or (byte)'\t')
        {
            return FieldLineError.Folded;
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || !IsToken(line[..colon]))
        {
            return FieldLineError.NotNameValue;
        }

        var rawValue = line[(colon + 1)..];
        if (rawValue.ContainsAny(ForbiddenInFieldValue))
        {
            return FieldLineError.ControlByte;
        }

        field.NameStart = lineStart;
        field.NameLength = colon;
        field.ValueStart = lineStart + colon + 1 + (rawValue.Length - rawValue.TrimStart(" \t"u8).Length);
        field.ValueLength = rawValue.Trim(" \t"u8).Length;
        return FieldLineError.None;
    }

    /// <summary>True when <paramref name="value"/> is a non-empty token.</summary>
    public static bool IsToken(ReadOnlySpan<byte> value) => !value.IsEmpty && !value.ContainsAnyExcept(TokenChars);

    /// <summary>Parses 1*DIGIT into a non-negative long; false on anything else or overflow.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (var b in digits)
        {
            var d = b - '0';
            if ((uint)d > 9 || value > (long.MaxValue - d) / 10)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }

    /// <summary>ASCII case-insensitive equality.</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Ascii.EqualsIgnoreCase(a, b);

    /// <summary>True when <paramref name="text"/> holds a percent escape (<c>%</c> and two hex digits, any case) at <paramref name="at"/>; <paramref name="value"/> is the byte it stands for.</summary>
    public static bool TryDecodeEscape(ReadOnlySpan<byte> text, int at, out byte value)
    {
        value = 0;
        if (at + 2 >= text.Length || text[at] != (byte)'%' || !char.IsAsciiHexDigit((char)text[at + 1]) || !char.IsAsciiHexDigit((char)text[at + 2]))
        {
            return false;
        }

        value = (byte)((HexValue(text[at + 1]) << 4) | HexValue(text[at + 2]));
        return true;
    }

    /// <summary>unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~" (RFC 3986 §2.3): the bytes a URL never needs to escape.</summary>
    public static bool IsUnreserved(byte b) => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}

/// <summary>Why <see cref="HttpSyntax.ReadFieldLine"/> refused a field line.</summary>
internal enum FieldLineError : byte
{
    /// <summary>The line is well formed.</summary>
    None,

    /// <summary>The line starts with whitespace (obs-fold, RFC 9112 §5.2).</summary>
    Folded,

    /// <summary>No colon, an empty name, or a name that is not a token (whitespace before the colon included).</summary>
    NotNameValue,

    /// <summary>The value holds a control byte (NUL, a bare CR or LF, DEL, ...).</summary>
    ControlByte,
}
