namespace Gateway.Core.Http;

/// <summary>The HTTP/1.x version a client spoke on its request line.</summary>
public enum HttpVersion : byte
{
    /// <summary>HTTP/1.0: no chunked bodies, close after the response unless keep-alive was asked for.</summary>
    Http10,

    /// <summary>HTTP/1.1: persistent by default.</summary>
    Http11,
}
