using Gateway.Core.Http;

namespace Gateway.Core.Pipeline;

/// <summary>
/// A whole response made in memory: status, fields and body. What a step or a handler answers with when it does not
/// stream; the front adds framing, Date, the request's response edits, X-Request-Id and Connection.
/// </summary>
public sealed class GatewayResponse
{
    /// <summary>The status code.</summary>
    public int Status { get; set; }

    /// <summary>The response's own fields.</summary>
    public FieldList Fields { get; } = new();

    /// <summary>The body (not sent for HEAD, 204 and 304).</summary>
    public ReadOnlyMemory<byte> Body { get; set; }

    /// <summary>Empties the response for reuse with <paramref name="status"/>.</summary>
    public void Reset(int status)
    {
        Status = status;
        Fields.Clear();
        Body = default;
    }
}
