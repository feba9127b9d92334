using System.Buffers.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Caching;

/// <summary>
/// The directives of a message's <c>Cache-Control</c> fields (RFC 9111 §5.2, RFC 5861) that a shared cache acts on; the
/// durations are in seconds, -1 when absent. A directive given twice keeps its first value; an invalid number counts as 0,
/// the safe reading (RFC 9111 §4.2.1).
/// </summary>
internal readonly record struct CacheControl(
    bool NoStore, bool NoCache, bool Private, bool Public, bool MustRevalidate, long MaxAge, long SharedMaxAge,
    long StaleWhileRevalidate, long StaleIfError)
{
    /// <summary>No directives at all.</summary>
    public static CacheControl None => new(false, false, false, false, false, -1, -1, -1, -1);

    /// <summary>Reads every <c>Cache-Control</c> field of <paramref name="fields"/>.</summary>
    public static CacheControl Of(IFieldList fields)
    {
        var directives = None;
        for (var i = 0; i < fields.Count; i++)
        {
            if (HttpSyntax.EqualsIgnoreCase(fields.NameOf(i), "Cache-Control"u8))
            {
                directives = directives.With(fields.ValueOf(i));
            }
        }

        return directives;
    }

    /// <summary>Reads the <c>Cache-Control</c> fields of a request.</summary>
    public static CacheControl Of(RequestHead head)
    {
        var directives = None;
        for (var i = 0; i < head.HeaderCount; i++)
        {
            if (HttpSyntax.EqualsIgnoreCase(head.NameOf(i), "Cache-Control"u8))
            {
                directives = directives.With(head.ValueOf(i));
            }
        }

        return directives;
    }

    /// <summary>These directives with those of one more field value added.</summary>
    public CacheControl With(ReadOnlySpan<byte> value)
    {
        var result = this;
        foreach (var range in value.Split((byte)','))
        {
            var directive = value[range].Trim((byte)' ').Trim((byte)'\t');
            var equals = directive.IndexOf((byte)'=');
            var name = equals < 0 ? directive : directive[..equals].TrimEnd((byte)' ');
            var argument = equals < 0 ? default : directive[(equals + 1)..].Trim((byte)' ').Trim((byte)'"');
            if (Is(name, "no-store"u8))
            {
                result = result with { NoStore = true };
            }
            else if (Is(name, "no-cache"u8))
            {
                // Qualified with field names, no-cache is about those fields only; the cache does not store them apart, so it revalidates all.
                result = result with { NoCache = true };
            }
            else if (Is(name, "private"u8))
            {
                result = result with { Private = true };
            }
            else if (Is(name, "public"u8))
            {
                result = result with { Public = true };
            }
            else if (Is(name, "must-revalidate"u8) || Is(name, "proxy-revalidate"u8))
            {
                result = result with { MustRevalidate = true };
            }
            else if (Is(name, "max-age"u8) && result.MaxAge < 0)
            {
                result = result with { MaxAge = Seconds(argument) };
            }
            else if (Is(name, "s-maxage"u8) && result.SharedMaxAge < 0)
            {
                result = result with { SharedMaxAge = Seconds(argument) };
            }
            else if (Is(name, "stale-while-revalidate"u8) && result.StaleWhileRevalidate < 0)
            {
                result = result with { StaleWhileRevalidate = Seconds(argument) };
            }
            else if (Is(name, "stale-if-error"u8) && result.StaleIfError < 0)
            {
                result = result with { StaleIfError = Seconds(argument) };
            }
        }

        return result;
    }

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> directive) => HttpSyntax.EqualsIgnoreCase(name, directive);

    /// <summary>A delta-seconds argument; a value too large to hold is as long as can be (RFC 9111 §1.2.2), anything invalid is 0.</summary>
    private static long Seconds(ReadOnlySpan<byte> digits)
    {
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return 0;
        }

        return Utf8Parser.TryParse(digits, out long seconds, out var used) && used == digits.Length ? Math.Min(seconds, int.MaxValue) : int.MaxValue;
    }
}
