using System.Buffers;
using System.Net.Sockets;
using System.Text;

namespace IdleClients;

/// <summary>One HTTP/1.1 GET over a kept-alive socket: the request sent, the whole answer read (Content-Length or chunked).</summary>
internal static class Exchange
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] ChunkedEnd = "0\r\n\r\n"u8.ToArray();

    /// <summary>Sends <paramref name="request"/> and reads its answer; true when it is a 200 that leaves the connection open.</summary>
    public static async Task<bool> RunAsync(Socket socket, byte[] request, CancellationToken cancel)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            await socket.SendAsync(request, SocketFlags.None, cancel).ConfigureAwait(false);
            var filled = 0;
            int headLength;
            while ((headLength = buffer.AsSpan(0, filled).IndexOf(HeadEnd)) < 0)
            {
                filled += await ReceiveMoreAsync(socket, buffer, filled, cancel).ConfigureAwait(false);
            }

            headLength += HeadEnd.Length;
            var head = Encoding.ASCII.GetString(buffer, 0, headLength);
            if (!head.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal) || head.Contains("\r\nConnection: close", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (ContentLength(head) is { } length)
            {
                while (filled - headLength < length)
                {
                    filled += await ReceiveMoreAsync(socket, buffer, filled, cancel).ConfigureAwait(false);
                }

                return filled - headLength == length;
            }

            while (!buffer.AsSpan(headLength, filled - headLength).EndsWith(ChunkedEnd))
            {
                filled += await ReceiveMoreAsync(socket, buffer, filled, cancel).ConfigureAwait(false);
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<int> ReceiveMoreAsync(Socket socket, byte[] buffer, int filled, CancellationToken cancel)
    {
        if (filled == buffer.Length)
        {
            throw new InvalidDataException("The answer is larger than the client's buffer.");
        }

        var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancel).ConfigureAwait(false);
        return read > 0 ? read : throw new EndOfStreamException("The server closed the connection.");
    }

    private static int? ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line.AsSpan("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
