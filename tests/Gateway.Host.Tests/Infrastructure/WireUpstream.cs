using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>A raw TCP upstream that records each request's exact wire bytes and answers with scripted bytes (or hangs up when there are none).</summary>
internal sealed class WireUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<WireRequest, WireReply?> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<WireRequest> _requests = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly Task _acceptLoop;
    private long _bytesReceived;
    private int _connections;
    private int _closedByGateway;

    private WireUpstream(Func<WireRequest, WireReply?> respond)
    {
        _respond = respond;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The requests received in full, in order.</summary>
    public IReadOnlyList<WireRequest> Requests => [.. _requests];

    /// <summary>Every byte received from the gateway so far, on all connections, whether or not it formed a complete request.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Starts an upstream that answers each request with <paramref name="response"/> (Latin-1), or hangs up when it is null.</summary>
    public static WireUpstream Start(string? response) => Start(_ => response is null ? null : new WireReply(response));

    /// <summary>Starts an upstream that answers each request with <paramref name="reply"/>.</summary>
    public static WireUpstream Start(WireReply reply) => Start(_ => reply);

    /// <summary>Starts an upstream that answers each request with what <paramref name="respond"/> returns for it, or hangs up on null.</summary>
    public static WireUpstream Start(Func<WireRequest, WireReply?> respond) => new(respond);

    /// <summary>Connections the gateway opened to this upstream so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Connections the gateway closed (the upstream read their end) while the upstream still had them open.</summary>
    public int ClosedByGateway => Volatile.Read(ref _closedByGateway);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    /// <summary>Adds <paramref name="bytes"/> to <see cref="BytesReceived"/>.</summary>
    internal void Count(int bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _clients.Add(client);
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var reader = new WireReader(new CountingStream(stream, this));
            while (true)
            {
                if (await ReadRequestAsync(reader) is not { } request)
                {
                    Interlocked.Increment(ref _closedByGateway);
                    break;
                }

                _requests.Enqueue(request);
                if (_respond(request) is not { } reply)
                {
                    break;
                }

                if (reply.Reset)
                {
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Client.Close();
                    break;
                }

                await stream.WriteAsync(Encoding.Latin1.GetBytes(reply.Bytes), _stop.Token);
                if (reply.HangUp)
                {
                    break;
                }

                if (reply.ThenUnasked is { } unasked)
                {
                    await stream.WriteAsync(Encoding.Latin1.GetBytes(await unasked.WaitAsync(_stop.Token)), _stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidDataException)
        {
            // The gateway went away (a reset counts as a close) or the test ended.
            if (!_stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref _closedByGateway);
            }
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task<WireRequest?> ReadRequestAsync(WireReader reader)
    {
        var token = _stop.Token;
        using var head = new MemoryStream();
        var lines = new List<string>();
        var first = await reader.ReadLineAsync(token);
        if (first is null)
        {
            return null;
        }

        lines.Add(first);
        while (await reader.ReadRequiredLineAsync(token) is { Length: > 0 } line)
        {
            lines.Add(line);
        }

        var headText = string.Join("\r\n", lines) + "\r\n\r\n";
        var fields = lines.Skip(1).Select(l => (Name: l[..l.IndexOf(':', StringComparison.Ordinal)], Value: l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
            .ToList();
        using var rawBody = new MemoryStream();
        using var body = new MemoryStream();
        if (fields.Any(f => f.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && f.Value.Equals("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            await reader.ReadChunkedAsync(body, allowExtensions: true, token, rawBody);
        }
        else if (fields.FirstOrDefault(f => f.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value is { } length)
        {
            var bytes = await reader.ReadExactAsync(long.Parse(length, NumberStyles.None, CultureInfo.InvariantCulture), token);
            await rawBody.WriteAsync(bytes, token);
            await body.WriteAsync(bytes, token);
        }

        return new WireRequest(headText, rawBody.ToArray(), body.ToArray());
    }
}

/// <summary>A read-only view of a connection's stream that adds every byte read to the upstream's <see cref="WireUpstream.BytesReceived"/>.</summary>
internal sealed class CountingStream(Stream inner, WireUpstream owner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        owner.Count(read);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        owner.Count(read);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// What a <see cref="WireUpstream"/> sends back for one request (Latin-1), whether it then closes the connection, and
/// bytes it sends later, unasked, once <paramref name="ThenUnasked"/> completes; with <paramref name="Reset"/> it sends
/// nothing and resets the connection instead.
/// </summary>
internal sealed record WireReply(string Bytes, bool HangUp = false, Task<string>? ThenUnasked = null, bool Reset = false);

/// <summary>One request as the wire upstream received it: the head text, the body bytes with their framing, and the de-framed body.</summary>
internal sealed record WireRequest(string Head, byte[] FramedBody, byte[] Body)
{
    /// <summary>The framed body (chunk size lines and all) as Latin-1 text.</summary>
    public string FramedBodyText => Encoding.Latin1.GetString(FramedBody);
}
