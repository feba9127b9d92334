using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Http2;

/// <summary>
/// A bare HTTP/2 client for requests <c>HttpClient</c> will not send (connection-specific fields, several <c>cookie</c>
/// fields, malformed pseudo-fields, bodies that disagree with their length): fields as HPACK literals written byte for byte
/// (Latin-1, so CR, LF and NUL go through), split into CONTINUATION frames when large, and what came back for each stream.
/// </summary>
internal sealed class RawHttp2 : IAsyncDisposable
{
    private const byte Data = 0;
    private const byte Headers = 1;
    private const byte ResetStream = 3;
    private const byte Settings = 4;
    private const byte Ping = 6;
    private const byte GoAway = 7;
    private const byte Continuation = 9;
    private const byte EndStream = 0x1;
    private const byte EndHeaders = 0x4;
    private const int MaxFrame = 16_384;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly CancellationTokenSource _deadline;

    private RawHttp2(Socket socket, CancellationTokenSource deadline)
    {
        _socket = socket;
        _deadline = deadline;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>The last-stream-id of the GOAWAY the server sent, or null while it sent none.</summary>
    public int? GoAwayLastStream { get; private set; }

    /// <summary>Connects to <paramref name="endPoint"/> and sends the connection preface and empty SETTINGS.</summary>
    public static async Task<RawHttp2> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var deadline = Wait.Deadline();
        await socket.ConnectAsync(endPoint, deadline.Token);
        var connection = new RawHttp2(socket, deadline);
        await connection._stream.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), connection._deadline.Token);
        await connection.SendFrameAsync(Settings, 0, 0, []);
        return connection;
    }

    /// <summary>
    /// Sends GET <paramref name="path"/> with <paramref name="fields"/> to <paramref name="endPoint"/> on a connection of its own;
    /// returns the response's status as text ("200"), or "reset" when the stream or connection was refused.
    /// </summary>
    public static async Task<string> GetAsync(IPEndPoint endPoint, string path, params (string Name, string Value)[] fields)
    {
        await using var connection = await ConnectAsync(endPoint);
        return (await connection.RequestAsync(1, [.. Pseudo("GET", path, endPoint), .. fields])).Status;
    }

    /// <summary>The four pseudo-fields of a request to <paramref name="endPoint"/>, in the usual order.</summary>
    public static (string Name, string Value)[] Pseudo(string method, string path, IPEndPoint endPoint) =>
        [(":method", method), (":scheme", "http"), (":path", path), (":authority", $"127.0.0.1:{endPoint.Port}")];

    /// <summary>
    /// Sends <paramref name="fields"/> (pseudo-fields included, exactly as given) on stream <paramref name="stream"/>, then
    /// <paramref name="body"/> in one DATA frame when given, and reads the answer.
    /// </summary>
    public async Task<H2Answer> RequestAsync(int stream, (string Name, string Value)[] fields, byte[]? body = null)
    {
        await SendHeadersAsync(stream, fields, endStream: body is null);
        if (body is not null)
        {
            await SendFrameAsync(Data, EndStream, stream, body);
        }

        return await ReadAnswerAsync(stream);
    }

    /// <summary>Sends a header block on <paramref name="stream"/>: HEADERS, and CONTINUATION frames for what does not fit in one frame.</summary>
    public async Task SendHeadersAsync(int stream, (string Name, string Value)[] fields, bool endStream)
    {
        var block = new MemoryStream();
        foreach (var (name, value) in fields)
        {
            block.WriteByte(0);
            Text(block, name);
            Text(block, value);
        }

        var bytes = block.ToArray();
        var offset = 0;
        do
        {
            var length = Math.Min(MaxFrame, bytes.Length - offset);
            var last = offset + length == bytes.Length;
            var type = offset == 0 ? Headers : Continuation;
            var flags = (byte)((last ? EndHeaders : 0) | (offset == 0 && endStream ? EndStream : 0));
            await SendFrameAsync(type, flags, stream, bytes[offset..(offset + length)]);
            offset += length;
        }
        while (offset < bytes.Length);
    }

    /// <summary>
    /// Reads frames until <paramref name="stream"/>'s answer ends: its status and body, or status "reset" when the stream
    /// was reset or the connection went away without it (GOAWAY or close).
    /// </summary>
    public async Task<H2Answer> ReadAnswerAsync(int stream)
    {
        _deadline.CancelAfter(Wait.Generous);
        string? status = null;
        var body = new MemoryStream();
        while (await ReadFrameAsync() is var (type, flags, id, payload))
        {
            if (type == GoAway && id == 0)
            {
                GoAwayLastStream = BinaryPrimitives.ReadInt32BigEndian(payload) & int.MaxValue;
                if (GoAwayLastStream < stream)
                {
                    return new("reset", "");
                }
            }
            else if (id != stream)
            {
                continue;
            }
            else if (type == ResetStream)
            {
                return new("reset", "");
            }
            else if (type == Headers)
            {
                status ??= Status(payload);
            }
            else if (type == Data)
            {
                body.Write(payload);
            }

            if (id == stream && (flags & EndStream) != 0 && type is Headers or Data)
            {
                return new(status ?? "none", Encoding.UTF8.GetString(body.ToArray()));
            }
        }

        return new("reset", "");
    }

    /// <summary>Sends a PING (any frame wakes a server that waits for one).</summary>
    public Task PingAsync() => SendFrameAsync(Ping, 0, 0, new byte[8]);

    /// <summary>Reads until the server closes the connection; true when it did (a GOAWAY on the way is kept in <see cref="GoAwayLastStream"/>).</summary>
    public async Task<bool> WaitForCloseAsync()
    {
        _deadline.CancelAfter(Wait.Generous);
        try
        {
            while (await ReadFrameAsync() is var (type, _, id, payload))
            {
                if (type == GoAway && id == 0)
                {
                    GoAwayLastStream = BinaryPrimitives.ReadInt32BigEndian(payload) & int.MaxValue;
                }
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
        _deadline.Dispose();
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

    /// <summary>A string literal without Huffman coding: its length as an HPACK integer with a 7-bit prefix (RFC 7541 §5.1), then its Latin-1 bytes.</summary>
    private static void Text(MemoryStream block, string text)
    {
        var length = text.Length;
        if (length < 127)
        {
            block.WriteByte((byte)length);
        }
        else
        {
            block.WriteByte(127);
            for (length -= 127; length >= 128; length >>= 7)
            {
                block.WriteByte((byte)((length & 0x7F) | 0x80));
            }

            block.WriteByte((byte)length);
        }

        block.Write(Encoding.Latin1.GetBytes(text));
    }

    /// <summary>The next frame (answering SETTINGS and PING as a client must), or null once the server closed the connection.</summary>
    private async Task<(byte Type, byte Flags, int Stream, byte[] Payload)?> ReadFrameAsync()
    {
        while (true)
        {
            var head = new byte[9];
            try
            {
                await _stream.ReadExactlyAsync(head, _deadline.Token);
            }
            catch (Exception ex) when (ex is EndOfStreamException or IOException)
            {
                return null;
            }

            var payload = new byte[(head[0] << 16) | (head[1] << 8) | head[2]];
            await _stream.ReadExactlyAsync(payload, _deadline.Token);
            var (type, flags, id) = (head[3], head[4], BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(5)) & int.MaxValue);
            if (type == Settings && (flags & 1) == 0)
            {
                await SendFrameAsync(Settings, 1, 0, []);
            }
            else if (type == Ping && (flags & 1) == 0)
            {
                await SendFrameAsync(Ping, 1, 0, payload);
            }
            else
            {
                return (type, flags, id, payload);
            }
        }
    }

    private async Task SendFrameAsync(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        try
        {
            await _stream.WriteAsync(frame, _deadline.Token);
        }
        catch (IOException)
        {
            // The server closed the connection first; what it sent before is still read.
        }
    }
}

/// <summary>What came back for one HTTP/2 stream: its status ("reset" when it was refused) and body.</summary>
internal sealed record H2Answer(string Status, string Body);
