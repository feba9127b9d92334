using System.Globalization;
using System.Text;

namespace Gateway.Core.Http;

/// <summary>The current "Date: ...\r\n" header bytes, refreshed once a second by the heartbeat instead of per response.</summary>
internal static class DateHeader
{
    private static byte[] _line = Build(DateTimeOffset.UtcNow);

    /// <summary>The header line, CRLF included.</summary>
    public static ReadOnlySpan<byte> Line => Volatile.Read(ref _line);

    /// <summary>Recomputes the line for <paramref name="now"/>.</summary>
    public static void Refresh(DateTimeOffset now) => Volatile.Write(ref _line, Build(now));

    private static byte[] Build(DateTimeOffset now) =>
        Encoding.ASCII.GetBytes("Date: " + now.ToString("r", CultureInfo.InvariantCulture) + "\r\n");
}
