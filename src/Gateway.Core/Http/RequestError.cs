namespace Gateway.Core.Http;

/// <summary>Why the front refused a request: the status to answer and a short reason for the problem body.</summary>
public sealed class RequestError(int status, string detail)
{
    /// <summary>The HTTP status code to answer with.</summary>
    public int Status { get; } = status;

    /// <summary>One sentence saying what was wrong.</summary>
    public string Detail { get; } = detail;

    /// <summary>Request line longer than the limit (414).</summary>
    public static readonly RequestError RequestLineTooLong = new(414, "The request line is longer than the gateway accepts.");

    /// <summary>A request line over the limit before its method even ended (400: no sensible request looks like that).</summary>
    public static readonly RequestError MethodTooLong = new(400, "The request method runs past the longest request line the gateway accepts.");

    /// <summary>Header section larger than the limit (431).</summary>
    public static readonly RequestError HeadersTooLarge = new(431, "The request header fields are larger than the gateway accepts.");

    /// <summary>Too many header fields (431).</summary>
    public static readonly RequestError TooManyHeaders = new(431, "The request has more header fields than the gateway accepts.");

    /// <summary>A line ended with LF alone (400).</summary>
    public static readonly RequestError BareLineFeed = new(400, "Lines must end with CRLF.");

    /// <summary>Malformed request line (400).</summary>
    public static readonly RequestError BadRequestLine = new(400, "The request line is malformed.");

    /// <summary>Method is not a token (400).</summary>
    public static readonly RequestError BadMethod = new(400, "The request method is not a valid token.");

    /// <summary>Target is not a valid origin-form or absolute-form (400).</summary>
    public static readonly RequestError BadTarget = new(400, "The request target is malformed.");

    /// <summary>The path holds "." or ".." segments (400).</summary>
    public static readonly RequestError DotSegments = new(400, "The request path must not contain dot-segments.");

    /// <summary>The path encodes '/', '\' or NUL (400): an upstream that decodes it would see a path the router never matched.</summary>
    public static readonly RequestError EncodedSeparator = new(400, "The request path must not encode '/', '\\' or NUL (%2F, %5C, %00).");

    /// <summary>A '%' in the path not followed by two hex digits (400).</summary>
    public static readonly RequestError BadPercentEncoding = new(400, "The request path holds a '%' that is not followed by two hex digits.");

    /// <summary>Version is not HTTP/1.0 or HTTP/1.1 syntax (400).</summary>
    public static readonly RequestError BadVersion = new(400, "The HTTP version is malformed.");

    /// <summary>A well-formed but unsupported major version (505).</summary>
    public static readonly RequestError UnsupportedVersion = new(505, "Only HTTP/1.0 and HTTP/1.1 are supported on this listener.");

    /// <summary>A header line that is not name ":" value (400).</summary>
    public static readonly RequestError BadHeaderLine = new(400, "A header field line is malformed.");

    /// <summary>Line folding (obs-fold) is rejected (400).</summary>
    public static readonly RequestError ObsoleteLineFolding = new(400, "Header field line folding is not allowed.");

    /// <summary>A header value holds a forbidden control byte (400).</summary>
    public static readonly RequestError BadHeaderValue = new(400, "A header field value contains a forbidden character.");

    /// <summary>Host missing on HTTP/1.1 (400).</summary>
    public static readonly RequestError MissingHost = new(400, "HTTP/1.1 requests must carry exactly one Host header field.");

    /// <summary>Host given more than once (400).</summary>
    public static readonly RequestError DuplicateHost = new(400, "The Host header field appears more than once.");

    /// <summary>Host value is not host[:port] (400).</summary>
    public static readonly RequestError BadHost = new(400, "The Host header field is malformed.");

    /// <summary>Content-Length not 1*DIGIT or too large for a number (400).</summary>
    public static readonly RequestError BadContentLength = new(400, "The Content-Length header field is malformed.");

    /// <summary>Conflicting Content-Length values (400).</summary>
    public static readonly RequestError ConflictingContentLength = new(400, "The request carries conflicting Content-Length values.");

    /// <summary>Both Content-Length and Transfer-Encoding (400).</summary>
    public static readonly RequestError ContentLengthWithTransferEncoding = new(400, "A request must not carry both Content-Length and Transfer-Encoding.");

    /// <summary>Transfer-Encoding whose final coding is not chunked, or chunked twice (400).</summary>
    public static readonly RequestError BadTransferEncoding = new(400, "Transfer-Encoding must end with chunked, applied once.");

    /// <summary>A transfer coding the gateway does not implement (501).</summary>
    public static readonly RequestError UnsupportedTransferEncoding = new(501, "Only the chunked transfer coding is supported.");

    /// <summary>Transfer-Encoding on an HTTP/1.0 request (400).</summary>
    public static readonly RequestError TransferEncodingOnHttp10 = new(400, "HTTP/1.0 requests must not use Transfer-Encoding.");

    /// <summary>An expectation other than 100-continue (417).</summary>
    public static readonly RequestError UnsupportedExpectation = new(417, "Only the 100-continue expectation is supported.");

    /// <summary>Connection names a field the message framing depends on (400).</summary>
    public static readonly RequestError BadConnectionOption = new(400, "Connection must not name Host, Content-Length or Transfer-Encoding.");

    /// <summary>Connection holds a member that is not a token (400).</summary>
    public static readonly RequestError MalformedConnection = new(400, "The Connection header field must be a list of tokens.");

    /// <summary>Body larger than the limit (413).</summary>
    public static readonly RequestError BodyTooLarge = new(413, "The request body is larger than the gateway accepts.");

    /// <summary>Malformed chunked body (400).</summary>
    public static readonly RequestError BadChunkedBody = new(400, "The chunked request body is malformed.");

    /// <summary>The head did not arrive in time (408).</summary>
    public static readonly RequestError HeadTimeout = new(408, "The request head did not arrive in time.");

    /// <summary>The request body arrived slower than the minimum rate (408).</summary>
    public static readonly RequestError BodyTooSlow = new(408, "The request body arrived too slowly.");

    /// <summary>The gateway holds as many client connections as it accepts (503).</summary>
    public static readonly RequestError TooManyConnections = new(503, "The gateway has too many open connections; try again later.");

    /// <summary>The client's address holds as many connections as one client may open (503).</summary>
    public static readonly RequestError TooManyClientConnections = new(503, "This client has too many open connections to the gateway.");

    /// <summary>A method the gateway does not proxy (501).</summary>
    public static readonly RequestError UnsupportedMethod = new(501, "CONNECT is not supported.");
}
