using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>A TCP client connection, plain or TLS, that sends exact bytes and reads responses as they are framed on the wire.</summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly WireReader _reader;

    private RawConnection(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
        _reader = new WireReader(_stream);
    }

    /// <summary>The TLS session on a connection opened with <see cref="OpenTlsAsync"/>, else null.</summary>
    public SslStream? Tls => _stream as SslStream;

    /// <summary>Connects to <paramref name="endPoint"/>; a positive <paramref name="sendBufferBytes"/> fixes the kernel's send buffer (no auto-tuning).</summary>
    public static async Task<RawConnection> OpenAsync(IPEndPoint endPoint, int sendBufferBytes = 0)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (sendBufferBytes > 0)
        {
            socket.SendBufferSize = sendBufferBytes;
        }

        try
        {
            using var deadline = Wait.Deadline();
            await socket.ConnectAsync(endPoint, deadline.Token);
            return new RawConnection(socket, new NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects to <paramref name="endPoint"/> over TLS asking for <paramref name="serverName"/> (SNI) and offering
    /// <paramref name="protocols"/> by ALPN (default <c>http/1.1</c>); the handshake fails unless the certificate is valid
    /// for that name and issued by <paramref name="authority"/>.
    /// </summary>
    public static async Task<RawConnection> OpenTlsAsync(IPEndPoint endPoint, string serverName, X509Certificate2 authority, List<SslApplicationProtocol>? protocols = null)
    {
        var plain = await OpenAsync(endPoint);
        var tls = new SslStream(plain._stream);
        try
        {
            using var deadline = Wait.Deadline();
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = serverName,
                    ApplicationProtocols = protocols ?? [SslApplicationProtocol.Http11],
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    CertificateChainPolicy = new X509ChainPolicy
                    {
                        TrustMode = X509ChainTrustMode.CustomRootTrust,
                        CustomTrustStore = { authority },
                        RevocationMode = X509RevocationMode.NoCheck,
                    },
                },
                deadline.Token);
            return new RawConnection(plain._socket, tls);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends <paramref name="text"/> as Latin-1 bytes, exactly as written.</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    /// <summary>Sends <paramref name="bytes"/> in one write.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var deadline = Wait.Deadline();
        await _stream.WriteAsync(bytes, deadline.Token);
    }

    /// <summary>
    /// Sends <paramref name="piece"/>(0), <paramref name="piece"/>(1), … one every 20 ms, as a slow client would, until
    /// <paramref name="until"/> finishes or the other side closes.
    /// </summary>
    public async Task TrickleAsync(Func<int, string> piece, Task until)
    {
        for (var i = 0; !until.IsCompleted; i++)
        {
            try
            {
                await SendAsync(piece(i));
            }
            catch (IOException)
            {
                return;
            }

            await Task.WhenAny(until, Task.Delay(20));
        }
    }

    /// <summary>Reads the next response; <paramref name="bodyless"/> when it answers HEAD.</summary>
    public async Task<RawResponse> ReadResponseAsync(bool bodyless = false)
    {
        using var deadline = Wait.Deadline();
        var token = deadline.Token;
        var statusLine = await _reader.ReadLineAsync(token)
            ?? throw new EndOfStreamException("The gateway closed the connection without a response.");
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Malformed status line \"{statusLine}\".");
        }

        var status = int.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture);
        var headers = new List<KeyValuePair<string, string>>();
        while (await _reader.ReadRequiredLineAsync(token) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[..colon].Any(char.IsWhiteSpace))
            {
                throw new InvalidDataException($"Malformed header line \"{line}\".");
            }

            headers.Add(KeyValuePair.Create(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        var response = new RawResponse
        {
            Version = parts[0], Status = status, Reason = parts.Length > 2 ? parts[2] : "", Headers = headers, Body = [], Framing = BodyFraming.None,
        };
        if (bodyless || status is (>= 100 and < 200) or 204 or 304)
        {
            return response;
        }

        if (response.Header("Transfer-Encoding") is { } coding)
        {
            if (!coding.Equals("chunked", StringComparison.OrdinalIgnoreCase) || response.Header("Content-Length") is not null)
            {
                throw new InvalidDataException($"Unexpected framing: Transfer-Encoding \"{coding}\", Content-Length \"{response.Header("Content-Length")}\".");
            }

            using var body = new MemoryStream();
            var chunks = await _reader.ReadChunkedAsync(body, allowExtensions: false, token);
            return new RawResponse
            {
                Version = response.Version, Status = status, Reason = response.Reason, Headers = headers, Body = body.ToArray(),
                Framing = BodyFraming.Chunked, Chunks = chunks,
            };
        }

        if (response.Values("Content-Length") is { Count: > 0 } lengths)
        {
            var length = long.Parse(Assert.Single(lengths), NumberStyles.None, CultureInfo.InvariantCulture);
            return new RawResponse
            {
                Version = response.Version, Status = status, Reason = response.Reason, Headers = headers,
                Body = await _reader.ReadExactAsync(length, token), Framing = BodyFraming.ContentLength,
            };
        }

        return new RawResponse
        {
            Version = response.Version, Status = status, Reason = response.Reason, Headers = headers,
            Body = await _reader.ReadToEndAsync(token), Framing = BodyFraming.Close,
        };
    }

    /// <summary>
    /// Waits until the gateway closes the connection (the read returns 0 or the connection is reset): true when it did;
    /// false when bytes arrived instead or the deadline passed.
    /// </summary>
    public async Task<bool> WaitForCloseAsync()
    {
        if (_reader.Buffered > 0)
        {
            return false;
        }

        using var deadline = Wait.Deadline();
        try
        {
            return !await _reader.FillAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Ends the sending side (a TCP half-close): the gateway reads the end of the input, and responses can still be read.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Closes the socket, as a client that gives up would.</summary>
    public void Close() => _stream.Dispose();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();
}
