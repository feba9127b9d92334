namespace Gateway.Core.Server;

/// <summary>How the HTTP/1.1 form of an HTTP/2 request frames its body.</summary>
internal enum BodyFraming
{
    /// <summary>The stream ended with its headers: no body.</summary>
    None,

    /// <summary>The request said its length: <c>Content-Length</c>.</summary>
    Length,

    /// <summary>A body of unknown length: <c>Transfer-Encoding: chunked</c>.</summary>
    Chunked,
}
