namespace Gateway.Core.Routing;

/// <summary>ASCII case-insensitive comparison of raw request bytes against lower-case keys prepared at build time.</summary>
internal static class AsciiFolding
{
    /// <summary>Orders <paramref name="raw"/>, lower-cased on the fly, against <paramref name="lower"/> the way ordinal byte order does.</summary>
    public static int Compare(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> lower)
    {
        var length = Math.Min(raw.Length, lower.Length);
        for (var i = 0; i < length; i++)
        {
            var difference = ToLower(raw[i]) - lower[i];
            if (difference != 0)
            {
                return difference;
            }
        }

        return raw.Length - lower.Length;
    }

    /// <summary>The index of <paramref name="raw"/> in <paramref name="sortedLower"/> (ordinal byte order), or -1.</summary>
    public static int IndexOf(byte[][] sortedLower, ReadOnlySpan<byte> raw)
    {
        var low = 0;
        var high = sortedLower.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var order = Compare(raw, sortedLower[middle]);
            if (order == 0)
            {
                return middle;
            }

            if (order < 0)
            {
                high = middle - 1;
            }
            else
            {
                low = middle + 1;
            }
        }

        return -1;
    }

    private static int ToLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? b | 0x20 : b;
}
