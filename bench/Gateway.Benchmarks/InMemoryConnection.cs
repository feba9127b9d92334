using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Gateway.Core.Configuration;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.Server;
using Gateway.Core.Snapshots;
using Gateway.Core.Upstreams;

namespace Gateway.Benchmarks;

/// <summary>
/// One client connection's HTTP/1.1 loop (<see cref="Http1Connection"/>, the whole route pipeline) over in-memory pipes,
/// serving a configuration compiled from JSON; requests go in as bytes and their responses are read back whole.
/// </summary>
internal sealed class InMemoryConnection : IDisposable
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private readonly Pipe _toGateway = new();
    private readonly Pipe _toClient = new();
    private readonly GatewayEngine _engine;
    private readonly Http1Connection _connection;
    private readonly Task _serving;

    /// <summary>Starts serving <paramref name="json"/> (a configuration file's text) to one client on 127.0.0.1.</summary>
    public InMemoryConnection(string json)
    {
        var snapshot = SnapshotCompiler.Compile(ConfigLoader.Parse(json, "bench.json"), new UpstreamSettings(), "bench.json");
        _engine = new GatewayEngine(new GatewaySettings(), snapshot, new RequestReporter(null, null));
        _connection = new Http1Connection(_engine, new DuplexPipe(_toGateway.Reader, _toClient.Writer), new ClientInfo("127.0.0.1", "http"), () => { }, CancellationToken.None);
        _serving = _connection.RunAsync();
    }

    /// <summary>A GET of <paramref name="target"/> with <paramref name="fields"/> (each line ending in CRLF), as bytes.</summary>
    public static byte[] Get(string target, string fields = "") => Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: bench\r\n{fields}\r\n");

    /// <summary>Sends <paramref name="request"/> and reads its response, whose body is <paramref name="bodyLength"/> bytes.</summary>
    public async Task ExchangeAsync(byte[] request, int bodyLength)
    {
        await _toGateway.Writer.WriteAsync(request);
        while (true)
        {
            var read = await _toClient.Reader.ReadAsync();
            if (Whole(read.Buffer, bodyLength) is { } end)
            {
                _toClient.Reader.AdvanceTo(end);
                return;
            }

            _toClient.Reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>Sends <paramref name="request"/> and returns its response as text (for checks in set-up).</summary>
    public async Task<string> ExchangeTextAsync(byte[] request, int bodyLength)
    {
        await _toGateway.Writer.WriteAsync(request);
        while (true)
        {
            var read = await _toClient.Reader.ReadAsync();
            if (Whole(read.Buffer, bodyLength) is { } end)
            {
                var text = Encoding.ASCII.GetString(read.Buffer.Slice(0, end));
                _toClient.Reader.AdvanceTo(end);
                return text;
            }

            _toClient.Reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _toGateway.Writer.Complete();
        _serving.GetAwaiter().GetResult();
        _connection.Dispose();
        _engine.Dispose();
    }

    /// <summary>Where the response ends when the buffer holds its head and <paramref name="bodyLength"/> body bytes.</summary>
    private static SequencePosition? Whole(ReadOnlySequence<byte> buffer, int bodyLength)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, HeadEnd, advancePastDelimiter: false))
        {
            return null;
        }

        var length = head.Length + HeadEnd.Length + bodyLength;
        return buffer.Length >= length ? buffer.GetPosition(length) : null;
    }

    /// <summary>The gateway's side of the in-memory connection.</summary>
    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
