using System.Net;
using System.Net.Http;
using Gateway.Core.Http;

namespace Gateway.Core.Proxy;

/// <summary>The client's request body as an <see cref="HttpContent"/> for an HTTP/2 upstream: streamed from the connection as HttpClient asks for it, never buffered; <c>declaredLength</c> is -1 when chunked.</summary>
internal sealed class RequestBodyContent(RequestBodyReader body, long declaredLength) : HttpContent
{
    /// <summary>True once HttpClient began sending the body: a try that fails after that cannot be made again.</summary>
    public bool Started { get; private set; }

    /// <inheritdoc/>
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    /// <inheritdoc/>
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Started = true;
        return body.CopyToAsync(stream, cancellationToken);
    }

    /// <inheritdoc/>
    protected override bool TryComputeLength(out long length)
    {
        length = declaredLength;
        return declaredLength >= 0;
    }
}
