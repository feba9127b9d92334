using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Http2;

/// <summary>
/// A bare HTTP/2 client for requests <c>HttpClient</c> will not send (connection-specific fields, several <c>cookie</c>
/// fields): one bodiless request on stream 1, its fields as HPACK literals, and what came back for it.
/// </summary>
internal static class RawHttp2
{
    private const byte Headers = 1;
    private const byte ResetStream = 3;
    private const byte Settings = 4;
    private const byte GoAway = 7;

    /// <summary>
    /// Sends GET <paramref name="path"/> with <paramref name="fields"/> to <paramref name="endPoint"/>; returns the response's
    /// status as text ("200"), or "reset" when the stream or connection was refused.
    /// </summary>
    public static async Task<string> GetAsync(IPEndPoint endPoint, string path, params (string Name, string Value)[] fields)
    {
        using var deadline = Wait.Deadline();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, deadline.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var block = new MemoryStream();
        (string, string)[] pseudo = [(":method", "GET"), (":scheme", "http"), (":path", path), (":authority", $"127.0.0.1:{endPoint.Port}")];
        foreach (var (name, value) in pseudo.Concat(fields))
        {
            Literal(block, name, value);
        }

        await stream.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), deadline.Token);
        await stream.WriteAsync(Frame(Settings, 0, 0, []), deadline.Token);
        await stream.WriteAsync(Frame(Headers, 0x5, 1, block.ToArray()), deadline.Token);
        while (true)
        {
            var head = new byte[9];
            await stream.ReadExactlyAsync(head, deadline.Token);
            var payload = new byte[(head[0] << 16) | (head[1] << 8) | head[2]];
            await stream.ReadExactlyAsync(payload, deadline.Token);
            var (type, flags, id) = (head[3], head[4], BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(5)) & int.MaxValue);
            if (type == Settings && (flags & 1) == 0)
            {
                await stream.WriteAsync(Frame(Settings, 1, 0, []), deadline.Token);
            }
            else if (type == GoAway || (type == ResetStream && id == 1))
            {
                return "reset";
            }
            else if (type == Headers && id == 1)
            {
                return Status(payload);
            }
        }
    }

    /// <summary>Reads <c>:status</c>, the first field of a response's block: indexed from the static table, or a literal with its name indexed.</summary>
    private static string Status(byte[] block) => block[0] switch
    {
        0x88 => "200",
        0x89 => "204",
        0x8a => "206",
        0x8b => "304",
        0x8c => "400",
        0x8d => "404",
        0x8e => "500",
        _ when (block[0] & 0xC0) == 0x40 || (block[0] & 0xF0) == 0x00 => block[1] == 3 ? Encoding.ASCII.GetString(block, 2, 3) : "huffman",
        _ => "unknown",
    };

    /// <summary>A literal field without indexing, with a new name (RFC 7541 §6.2.2), no Huffman coding.</summary>
    private static void Literal(MemoryStream block, string name, string value)
    {
        block.WriteByte(0);
        block.WriteByte(checked((byte)name.Length));
        block.Write(Encoding.ASCII.GetBytes(name));
        block.WriteByte(checked((byte)value.Length));
        block.Write(Encoding.ASCII.GetBytes(value));
    }

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        return frame;
    }
}
