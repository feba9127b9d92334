using Gateway.Core.Http;

namespace Gateway.Core.Pipeline;

/// <summary>
/// Where a route handler sends its response, whatever the client's protocol: a whole response from memory, a problem, or a
/// stream started with its head and written piece by piece. Exactly one response per request. The front writes the framing,
/// Date, X-Request-Id and Connection itself; the same fields among the handler's are left out.
/// </summary>
public interface IResponseSink
{
    /// <summary>Sends a whole response made in memory.</summary>
    ValueTask SendAsync(GatewayResponse response);

    /// <summary>Sends an <c>application/problem+json</c> answer.</summary>
    ValueTask SendProblemAsync(int status, string detail);

    /// <summary>Starts a streamed response: its status and own fields, and the body's length, or -1 when unknown.</summary>
    void StartStream(int status, IFieldList fields, long length);

    /// <summary>Sends the next piece of a streamed body and flushes it toward the client.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
