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
}
