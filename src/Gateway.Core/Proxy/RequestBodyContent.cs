using System.Net;
using Gateway.Core.Http;

namespace Gateway.Core.Proxy;

/// <summary>The client's request body as upstream <see cref="HttpContent"/>, streamed from the connection as the upstream reads it.</summary>
internal sealed class RequestBodyContent(RequestBodyReader body) : HttpContent
{
    /// <inheritdoc/>
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        body.CopyToAsync(stream, CancellationToken.None);

    /// <inheritdoc/>
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        body.CopyToAsync(stream, cancellationToken);

    /// <inheritdoc/>
    protected override bool TryComputeLength(out long length)
    {
        length = body.ContentLength;
        return length >= 0;
    }
}
