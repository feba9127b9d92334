using System.Text;

namespace Gateway.Core.Observability;

/// <summary>
/// The W3C trace context of one request (https://www.w3.org/TR/trace-context/): the trace it continues, or a
/// new one when the client sent none or an invalid one, and the gateway's own span id, which becomes the
/// parent id the upstream sees. One instance per connection, reset per request.
/// </summary>
public sealed class TraceContext
{
    private static readonly System.Buffers.SearchValues<byte> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef"u8);
    private readonly byte[] _traceId = new byte[32];
    private readonly byte[] _parentId = new byte[16];
    private readonly byte[] _spanId = new byte[16];
    private bool _sampled;

    /// <summary>The 32 lowercase hex digits of the trace id.</summary>
    public ReadOnlySpan<byte> TraceId => _traceId;

    /// <summary>The 16 hex digits of the gateway's span for this request.</summary>
    public ReadOnlySpan<byte> SpanId => _spanId;

    /// <summary>The client's span id when the trace was continued, else empty.</summary>
    public ReadOnlySpan<byte> ParentId => HasParent ? _parentId : default;

    /// <summary>True when the client's traceparent was valid and is continued.</summary>
    public bool HasParent { get; private set; }

    /// <summary>True when the sampled flag is set.</summary>
    public bool Sampled => _sampled;

    /// <summary>Continues the client's trace when <paramref name="traceparent"/> is valid, else starts a new one; always a new span id.</summary>
    public void Start(ReadOnlySpan<byte> traceparent)
    {
        HasParent = TryParse(traceparent);
        if (!HasParent)
        {
            // A trace the gateway starts is recorded: the edge is where sampling decisions are made.
            RandomHex(_traceId);
            _sampled = true;
        }

        RandomHex(_spanId);
    }

    /// <summary>Length of a version-00 traceparent value.</summary>
    public const int TraceParentLength = 55;

    /// <summary>Writes the traceparent to send upstream into <paramref name="value"/> (<see cref="TraceParentLength"/> bytes): same trace, the gateway's span as parent.</summary>
    public void WriteUpstreamTraceParent(Span<byte> value)
    {
        "00-"u8.CopyTo(value);
        _traceId.CopyTo(value[3..]);
        value[35] = (byte)'-';
        _spanId.CopyTo(value[36..]);
        value[52] = (byte)'-';
        value[53] = (byte)'0';
        value[54] = _sampled ? (byte)'1' : (byte)'0';
    }

    /// <summary>Takes the ids of the span an exporter created (the same trace when one was continued).</summary>
    public void UseIds(ReadOnlySpan<char> traceIdHex, ReadOnlySpan<char> spanIdHex)
    {
        Encoding.ASCII.GetBytes(traceIdHex, _traceId);
        Encoding.ASCII.GetBytes(spanIdHex, _spanId);
    }

    private bool TryParse(ReadOnlySpan<byte> value)
    {
        if (value.Length != TraceParentLength || !value.StartsWith("00-"u8) || value[35] != (byte)'-' || value[52] != (byte)'-')
        {
            return false;
        }

        var traceId = value.Slice(3, 32);
        var parentId = value.Slice(36, 16);
        var flags = value.Slice(53, 2);
        if (!IsLowerHex(traceId) || !IsLowerHex(parentId) || !IsLowerHex(flags)
            || !traceId.ContainsAnyExcept((byte)'0') || !parentId.ContainsAnyExcept((byte)'0'))
        {
            return false;
        }

        traceId.CopyTo(_traceId);
        parentId.CopyTo(_parentId);
        _sampled = (HexValue(flags[1]) & 1) == 1;
        return true;
    }

    private static int HexValue(byte digit) => digit <= '9' ? digit - '0' : digit - 'a' + 10;

    private static bool IsLowerHex(ReadOnlySpan<byte> value) => !value.ContainsAnyExcept(LowerHex);

    private static void RandomHex(Span<byte> destination)
    {
        // W3C asks for random ids, not secret ones: the fast generator is enough.
        Span<byte> random = stackalloc byte[destination.Length / 2];
        Random.Shared.NextBytes(random);
        for (var i = 0; i < random.Length; i++)
        {
            destination[2 * i] = (byte)"0123456789abcdef"[random[i] >> 4];
            destination[(2 * i) + 1] = (byte)"0123456789abcdef"[random[i] & 0xF];
        }
    }
}
