using Gateway.Core.Http;
using static Gateway.Core.Tests.Http.ParserHarness;

namespace Gateway.Core.Tests.Http;

/// <summary>
/// The conformance table of the request head parser. Every row is parsed whole, one byte at a time and split at
/// every boundary (see <see cref="ParserHarness"/>); all ways must agree before the row's expectations are checked.
/// Raw text is one byte per char; line endings are written out.
/// </summary>
public class RequestHeadTableTests
{
    [Theory]
    // Methods, origin-form targets, queries.
    [InlineData("GET /users/7?expand=true HTTP/1.1\r\nHost: api.example.com\r\n\r\n",
        "method=GET path=/users/7 query=?expand=true host=api.example.com authority=api.example.com version=1.1 length=-1 chunked=false keepalive=true count=1 known:Host=Host")]
    [InlineData("POST /orders?dry=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n",
        "method=POST path=/orders query=?dry=1 host=a length=5 chunked=false count=2 known:Content-Length=ContentLength hop:Content-Length=false")]
    [InlineData("HEAD /x?y HTTP/1.1\r\nHost: a\r\n\r\n", "method=HEAD path=/x query=?y")]
    [InlineData("OPTIONS /x?a=1&b=2 HTTP/1.1\r\nHost: a\r\n\r\n", "method=OPTIONS path=/x query=?a=1&b=2")]
    [InlineData("PATCH / HTTP/1.1\r\nHost: a\r\n\r\n", "method=PATCH path=/ query=")]
    [InlineData("M-SEARCH /x HTTP/1.1\r\nHost: a\r\n\r\n", "method=M-SEARCH path=/x")]
    [InlineData("GET /x? HTTP/1.1\r\nHost: a\r\n\r\n", "path=/x query=?")]
    [InlineData("GET /x?a/../b HTTP/1.1\r\nHost: a\r\n\r\n", "path=/x query=?a/../b")]
    [InlineData("GET /a?b?c HTTP/1.1\r\nHost: a\r\n\r\n", "path=/a query=?b?c")]
    // HTTP/1.0: Host optional, close by default.
    [InlineData("GET /x HTTP/1.0\r\n\r\n", "version=1.0 path=/x host= authority= keepalive=false count=0")]
    [InlineData("GET /x HTTP/1.0\r\nHost: a\r\n\r\n", "version=1.0 host=a keepalive=false")]
    // Absolute-form: the target's authority wins and the Host field is ignored (RFC 9112 §3.2.2).
    [InlineData("GET http://b.example/x?q=1 HTTP/1.1\r\nHost: a\r\n\r\n", "host=b.example authority=b.example path=/x query=?q=1 value:Host=a")]
    [InlineData("GET http://b:8080/x HTTP/1.1\r\nHost: a\r\n\r\n", "host=b authority=b:8080 path=/x")]
    [InlineData("GET https://b/ HTTP/1.1\r\nHost: a\r\n\r\n", "host=b authority=b path=/")]
    [InlineData("GET http://b HTTP/1.1\r\nHost: b\r\n\r\n", "host=b authority=b path=/")]
    [InlineData("GET HTTP://b/x HTTP/1.1\r\nHost: b\r\n\r\n", "host=b authority=b path=/x")]
    // Field values: SP and HTAB trimmed on both sides, inner whitespace kept, empty values allowed, obs-text kept.
    [InlineData("GET / HTTP/1.1\r\nHost: \t a \t\r\nX-A:\tb c\t\r\nX-B:d\r\n\r\n", "host=a value:Host=a value:X-A=\"b c\" value:X-B=d count=3")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nX-Blank: \t \r\n\r\n", "value:X-Empty= value:X-Blank= count=3")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-Latin: caf\u00e9\r\n\r\n", "value:X-Latin=caf\u00e9")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX!#$%&'*+-.^_`|~09: v\r\n\r\n", "value:X!#$%&'*+-.^_`|~09=v")]
    [InlineData("GET / HTTP/1.1\r\nhOsT: a\r\n\r\n", "host=a known:hOsT=Host")]
    // Content-Length.
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", "length=0 chunked=false")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0005\r\n\r\n", "length=5")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", "length=5")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n", "length=5")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5,5\r\nContent-Length: 5\r\n\r\n", "length=5")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775807\r\n\r\n", "length=9223372036854775807")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer_Encoding: chunked\r\nContent-Length: 5\r\n\r\n", "length=5 chunked=false known:Transfer_Encoding=Other")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\ntransfer_encoding: chunked\r\nContent_Length: 9\r\nX_Other: 1\r\nContent-Length: 5\r\n\r\n",
        "length=5 chunked=false hop:transfer_encoding=true hop:Content_Length=true hop:X_Other=false")]
    // Transfer-Encoding.
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", "chunked=true length=-1 known:Transfer-Encoding=TransferEncoding hop:Transfer-Encoding=true")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n", "chunked=true")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\tchunked\r\n\r\n", "chunked=true value:Transfer-Encoding=chunked")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\ntransfer-encoding: CHUNKED \r\n\r\n", "chunked=true")]
    // Host forms.
    [InlineData("GET / HTTP/1.1\r\nHost: a:8080\r\n\r\n", "host=a authority=a:8080")]
    [InlineData("GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", "host=[::1] authority=[::1]:80")]
    [InlineData("GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n", "host=[::1] authority=[::1]")]
    [InlineData("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n", "host=127.0.0.1 authority=127.0.0.1:8080")]
    [InlineData("GET / HTTP/1.1\r\nHost: Api.Example.COM\r\n\r\n", "host=Api.Example.COM")]
    // Dots that are not dot-segments.
    [InlineData("GET /a..b/ HTTP/1.1\r\nHost: a\r\n\r\n", "path=/a..b/")]
    [InlineData("GET /.well-known/x HTTP/1.1\r\nHost: a\r\n\r\n", "path=/.well-known/x")]
    [InlineData("GET /..a/b. HTTP/1.1\r\nHost: a\r\n\r\n", "path=/..a/b.")]
    [InlineData("GET /a/.../b HTTP/1.1\r\nHost: a\r\n\r\n", "path=/a/.../b")]
    [InlineData("GET /x/%2e%2ex HTTP/1.1\r\nHost: a\r\n\r\n", "path=/x/..x")]

    // Path normalization: percent-encoded unreserved characters are decoded, the other escapes kept with upper-case hex,
    // the query left as sent.
    [InlineData("GET /%61dmin HTTP/1.1\r\nHost: a\r\n\r\n", "path=/admin")]
    [InlineData("GET /%41%5a%30-%2D%5f%7E HTTP/1.1\r\nHost: a\r\n\r\n", "path=/AZ0--_~")]
    [InlineData("GET /a%20b/c%3f%c3%a9 HTTP/1.1\r\nHost: a\r\n\r\n", "path=/a%20b/c%3F%C3%A9")]
    [InlineData("GET /%2525 HTTP/1.1\r\nHost: a\r\n\r\n", "path=/%2525")]
    [InlineData("GET /%61?q=%61%2F HTTP/1.1\r\nHost: a\r\n\r\n", "path=/a query=?q=%61%2F")]
    [InlineData("GET http://b/%7Eu/x HTTP/1.1\r\nHost: b\r\n\r\n", "host=b path=/~u/x")]
    // Connection and keep-alive.
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", "keepalive=false hop:Connection=true")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n", "keepalive=true")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, CLOSE\r\n\r\n", "keepalive=false")]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", "version=1.0 keepalive=true")]
    [InlineData("GET / HTTP/1.0\r\nConnection: close\r\n\r\n", "version=1.0 keepalive=false")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-Secret: s\r\nConnection: x-secret\r\nX-Other: o\r\n\r\n",
        "hop:X-Secret=true hop:X-Other=false hop:Host=false keepalive=true")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: close, X-SECRET\r\nx-secret: s\r\n\r\n", "hop:X-Secret=true keepalive=false")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nKeep-Alive: 5\r\nProxy-Connection: x\r\nUpgrade: h2c\r\n\r\n",
        "hop:Keep-Alive=true hop:Proxy-Connection=true hop:Upgrade=true")]
    // Expect and TE.
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", "continue=true length=5")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-Continue\r\n\r\n", "continue=true")]
    [InlineData("POST / HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", "continue=false")] // RFC 9110 §10.1.1: MUST ignore on HTTP/1.0.
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", "continue=false trailers=false")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nTE: trailers\r\n\r\n", "trailers=true hop:TE=true known:TE=TE")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nTE: gzip;q=0.5, trailers\r\n\r\n", "trailers=true")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nTE: Trailers\r\n\r\n", "trailers=true")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nTE: xtrailers\r\n\r\n", "trailers=false")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nTE: gzip\r\n\r\n", "trailers=false")]
    // Empty list elements are ignored (RFC 9110 §5.6.1): an empty Expect expects nothing; "close," still closes.
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect:\r\n\r\n", "continue=false length=5")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: \t\r\n\r\n", "continue=false")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: , 100-continue,\r\n\r\n", "continue=true")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: close,\r\n\r\n", "keepalive=false")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: ,\r\n\r\n", "keepalive=true")]
    // A WebSocket handshake (RFC 6455 §4.1): a bodiless HTTP/1.1 GET with Connection: upgrade and exactly Upgrade: websocket; any other Upgrade is only hop-by-hop.
    [InlineData("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", "websocket=true hop:Upgrade=true hop:Connection=true")]
    [InlineData("GET /ws HTTP/1.1\r\nHost: a\r\nconnection: keep-alive, UPGRADE\r\nupgrade: WebSocket\r\n\r\n", "websocket=true keepalive=true")]
    [InlineData("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n", "websocket=false")]
    [InlineData("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n\r\n", "websocket=false")]
    [InlineData("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n",
        "websocket=false hop:Upgrade=true hop:HTTP2-Settings=true")]
    [InlineData("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket, h2c\r\n\r\n", "websocket=false")]
    [InlineData("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nUpgrade: websocket\r\n\r\n", "websocket=false")]
    [InlineData("GET /ws HTTP/1.0\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", "websocket=false")]
    [InlineData("POST /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", "websocket=false")]
    [InlineData("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nContent-Length: 1\r\n\r\n", "websocket=false")]
    // A higher HTTP/1 minor version is processed as HTTP/1.1 (RFC 9110 §2.5).
    [InlineData("GET / HTTP/1.2\r\nHost: a\r\n\r\n", "version=1.1 keepalive=true")]
    [InlineData("GET / HTTP/1.9\r\nHost: a\r\n\r\n", "version=1.1")]
    // Asterisk-form, for OPTIONS only (RFC 9112 §3.2.4); Host is still required.
    [InlineData("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", "method=OPTIONS path=* query= asterisk=true host=a")]
    [InlineData("OPTIONS /x HTTP/1.1\r\nHost: a\r\n\r\n", "path=/x asterisk=false")]
    // More fields than the header array starts with.
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nA1: 1\r\nA2: 2\r\nA3: 3\r\nA4: 4\r\nA5: 5\r\nA6: 6\r\nA7: 7\r\nA8: 8\r\nA9: 9\r\nB1: 1\r\nB2: 2\r\nB3: 3\r\nB4: 4\r\nB5: 5\r\nB6: 6\r\nB7: 7\r\nB8: 8\r\n\r\n",
        "count=18 value:B8=8 value:A1=1")]
    public void ValidHeadIsParsed(string raw, string expected)
    {
        var outcome = Parse(raw);

        Assert.Equal(HeadStatus.Complete, outcome.Status);
        Assert.Null(outcome.Error);
        Assert.Equal(Bytes(raw).Length, outcome.HeadLength);
        AssertFields(outcome, expected);
    }

    [Theory]
    // Content-Length (RFC 9110 §8.6, RFC 9112 §6.3).
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 0\r\n\r\n", 400, nameof(RequestError.ConflictingContentLength))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n", 400, nameof(RequestError.ConflictingContentLength))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5, 6\r\n\r\n", 400, nameof(RequestError.ConflictingContentLength))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", 400, nameof(RequestError.BadContentLength))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n", 400, nameof(RequestError.BadContentLength))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\n", 400, nameof(RequestError.BadContentLength))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5_0\r\n\r\n", 400, nameof(RequestError.BadContentLength))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", 400, nameof(RequestError.BadContentLength))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", 400, nameof(RequestError.BadContentLength))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:  \r\n\r\n", 400, nameof(RequestError.BadContentLength))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5,\r\n\r\n", 400, nameof(RequestError.BadContentLength))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: ,5\r\n\r\n", 400, nameof(RequestError.BadContentLength))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5.0\r\n\r\n", 400, nameof(RequestError.BadContentLength))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 18446744073709551616\r\n\r\n", 400, nameof(RequestError.BadContentLength))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775808\r\n\r\n", 400, nameof(RequestError.BadContentLength))]
    // Transfer-Encoding (RFC 9112 §6.1, §7).
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400, nameof(RequestError.BadTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501, nameof(RequestError.UnsupportedTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400, nameof(RequestError.BadTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n", 400, nameof(RequestError.BadTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", 400, nameof(RequestError.BadTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n", 400, nameof(RequestError.BadTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,chunked\r\n\r\n", 400, nameof(RequestError.BadTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked,\r\n\r\n", 400, nameof(RequestError.BadTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n", 400, nameof(RequestError.BadTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\u00a0\r\n\r\n", 400, nameof(RequestError.BadTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \u0085chunked\r\n\r\n", 400, nameof(RequestError.BadTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \u000bchunked\r\n\r\n", 400, nameof(RequestError.BadHeaderValue))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\u000c\r\n\r\n", 400, nameof(RequestError.BadHeaderValue))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n", 400, nameof(RequestError.BadTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400, nameof(RequestError.BadTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n", 501, nameof(RequestError.UnsupportedTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n", 400, nameof(RequestError.ContentLengthWithTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n", 400, nameof(RequestError.ContentLengthWithTransferEncoding))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\n", 400, nameof(RequestError.ContentLengthWithTransferEncoding))]
    [InlineData("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, nameof(RequestError.TransferEncodingOnHttp10))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n", 400, nameof(RequestError.BadHeaderLine))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n", 400, nameof(RequestError.ObsoleteLineFolding))]
    // Line endings: CRLF only, everywhere.
    [InlineData("GET / HTTP/1.1\nHost: a\n\n", 400, nameof(RequestError.BareLineFeed))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\n\r\n", 400, nameof(RequestError.BareLineFeed))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\n", 400, nameof(RequestError.BareLineFeed))]
    [InlineData("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BareLineFeed))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: 1\n\r\n", 400, nameof(RequestError.BareLineFeed))]
    // Bare CR and other control bytes in values (RFC 9110 §5.5, RFC 9112 §2.2).
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400, nameof(RequestError.BadHeaderValue))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: a\rX-Injected: b\r\n\r\n", 400, nameof(RequestError.BadHeaderValue))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\r\n\r\n", 400, nameof(RequestError.BadHeaderValue))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: \rb\r\n\r\n", 400, nameof(RequestError.BadHeaderValue))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", 400, nameof(RequestError.BadHeaderValue))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: \0\r\n\r\n", 400, nameof(RequestError.BadHeaderValue))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: a\u0001\r\n\r\n", 400, nameof(RequestError.BadHeaderValue))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: a\u001bb\r\n\r\n", 400, nameof(RequestError.BadHeaderValue))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: a\u001f\r\n\r\n", 400, nameof(RequestError.BadHeaderValue))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: a\u007f\r\n\r\n", 400, nameof(RequestError.BadHeaderValue))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\u0000\r\n\r\n", 400, nameof(RequestError.BadHeaderValue))]
    // Field lines: obs-fold, names (RFC 9112 §5).
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", 400, nameof(RequestError.ObsoleteLineFolding))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\tb\r\n\r\n", 400, nameof(RequestError.ObsoleteLineFolding))]
    [InlineData("GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400, nameof(RequestError.ObsoleteLineFolding))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A : b\r\n\r\n", 400, nameof(RequestError.BadHeaderLine))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A\t: b\r\n\r\n", 400, nameof(RequestError.BadHeaderLine))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX[A]: b\r\n\r\n", 400, nameof(RequestError.BadHeaderLine))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX\u00efA: b\r\n\r\n", 400, nameof(RequestError.BadHeaderLine))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX\u0085: b\r\n\r\n", 400, nameof(RequestError.BadHeaderLine))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX\0A: b\r\n\r\n", 400, nameof(RequestError.BadHeaderLine))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", 400, nameof(RequestError.BadHeaderLine))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nFoo bar\r\n\r\n", 400, nameof(RequestError.BadHeaderLine))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nFoo\r\n\r\n", 400, nameof(RequestError.BadHeaderLine))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\r\n\r\n", 400, nameof(RequestError.BadHeaderLine))]
    // Request line (RFC 9112 §3).
    [InlineData("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    [InlineData("GET /  HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    [InlineData("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadRequestLine))]
    [InlineData("GET\t/ x HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadMethod))]
    [InlineData("GET /\tHTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadRequestLine))]
    [InlineData(" GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadRequestLine))]
    [InlineData("GET /\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadRequestLine))]
    [InlineData("GET / \r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadVersion))]
    [InlineData("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadVersion))]
    [InlineData("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadRequestLine))]
    [InlineData("G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadMethod))]
    [InlineData("GET / http/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadVersion))]
    [InlineData("GET / HTTP/1.1a\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadVersion))]
    [InlineData("GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadVersion))]
    [InlineData("GET / HTTP/1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadVersion))]
    [InlineData("GET / HTTP/0.9\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadVersion))]
    [InlineData("GET / HTTP/1.1\rX\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadVersion))]
    [InlineData("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, nameof(RequestError.UnsupportedVersion))]
    [InlineData("GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505, nameof(RequestError.UnsupportedVersion))]
    [InlineData("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 501, nameof(RequestError.UnsupportedMethod))]
    // Host (RFC 9112 §3.2, RFC 9110 §7.2).
    [InlineData("GET / HTTP/1.1\r\n\r\n", 400, nameof(RequestError.MissingHost))]
    [InlineData("GET / HTTP/1.1\r\nX-Host: a\r\n\r\n", 400, nameof(RequestError.MissingHost))]
    [InlineData("GET http://b/x HTTP/1.1\r\n\r\n", 400, nameof(RequestError.MissingHost))]
    [InlineData("GET http://b/x HTTP/1.1\r\nHost: u@a\r\n\r\n", 400, nameof(RequestError.BadHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400, nameof(RequestError.DuplicateHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 400, nameof(RequestError.DuplicateHost))]
    [InlineData("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400, nameof(RequestError.DuplicateHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", 400, nameof(RequestError.BadHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400, nameof(RequestError.BadHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: a:b\r\n\r\n", 400, nameof(RequestError.BadHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400, nameof(RequestError.BadHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, nameof(RequestError.BadHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: :80\r\n\r\n", 400, nameof(RequestError.BadHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400, nameof(RequestError.BadHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", 400, nameof(RequestError.BadHost))]
    [InlineData("GET / HTTP/1.1\r\nHost: [zz]\r\n\r\n", 400, nameof(RequestError.BadHost))]
    // Dot-segments and target characters.
    [InlineData("GET /a/../b HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.DotSegments))]
    [InlineData("GET /./x HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.DotSegments))]
    [InlineData("GET /%2e%2e/x HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.DotSegments))]
    [InlineData("GET /a/%2E HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.DotSegments))]
    [InlineData("GET /a/.. HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.DotSegments))]
    [InlineData("GET /a/. HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.DotSegments))]
    [InlineData("GET /.%2E/x HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.DotSegments))]
    [InlineData("GET /%2e./x?q HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.DotSegments))]

    // Escapes an upstream could decode into a path the router never matched, and malformed escapes.
    [InlineData("GET /a%2Fb HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.EncodedSeparator))]
    [InlineData("GET /admin%2f..%2fpublic HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.EncodedSeparator))]
    [InlineData("GET /a%5Cb HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.EncodedSeparator))]
    [InlineData("GET /a%5cb HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.EncodedSeparator))]
    [InlineData("GET /a%00 HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.EncodedSeparator))]
    [InlineData("GET /a% HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadPercentEncoding))]
    [InlineData("GET /a%4 HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadPercentEncoding))]
    [InlineData("GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadPercentEncoding))]
    [InlineData("GET /a%4?x HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadPercentEncoding))]
    [InlineData("GET http://b/a/../c HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.DotSegments))]
    [InlineData("GET /public/..\\admin/x HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    [InlineData("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    [InlineData("GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    [InlineData("GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    [InlineData("GET /a\u007f HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    [InlineData("GET /a\0 HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    [InlineData("GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    [InlineData("GET x HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    [InlineData("GET ftp://b/x HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    [InlineData("GET http://u@b/x HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    [InlineData("GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    // Connection must not name framing fields; Expect other than 100-continue.
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: host\r\n\r\n", 400, nameof(RequestError.BadConnectionOption))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: Content-Length\r\n\r\n", 400, nameof(RequestError.BadConnectionOption))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: close, transfer-encoding\r\n\r\n", 400, nameof(RequestError.BadConnectionOption))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: a b\r\n\r\n", 400, nameof(RequestError.MalformedConnection))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: close, \"x\"\r\n\r\n", 400, nameof(RequestError.MalformedConnection))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive;x\r\n\r\n", 400, nameof(RequestError.MalformedConnection))]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\u00a0\r\n\r\n", 400, nameof(RequestError.MalformedConnection))]
    [InlineData("GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    [InlineData("OPTIONS *x HTTP/1.1\r\nHost: a\r\n\r\n", 400, nameof(RequestError.BadTarget))]
    [InlineData("OPTIONS * HTTP/1.1\r\n\r\n", 400, nameof(RequestError.MissingHost))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 200-ok\r\n\r\n", 417, nameof(RequestError.UnsupportedExpectation))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue, x\r\n\r\n", 417, nameof(RequestError.UnsupportedExpectation))]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continuex\r\n\r\n", 417, nameof(RequestError.UnsupportedExpectation))]
    public void MalformedHeadIsRejected(string raw, int status, string error)
    {
        var outcome = Parse(raw);

        Assert.Equal(HeadStatus.Error, outcome.Status);
        Assert.Equal(status, outcome.ErrorStatus);
        Assert.Same(NamedError(error), outcome.Error);
    }

    private static RequestError NamedError(string name) =>
        (RequestError)typeof(RequestError).GetField(name)!.GetValue(null)!;
}
