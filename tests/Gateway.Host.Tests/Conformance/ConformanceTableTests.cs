using Xunit.Abstractions;
using static Gateway.Host.Tests.Conformance.Rows;

namespace Gateway.Host.Tests.Conformance;

/// <summary>
/// The HTTP/1.1 conformance table, end to end: each row is a raw request (one char per byte), the statuses the client
/// reads, whether the gateway keeps the connection, and what the upstream receives, checked on the wire by a
/// <see cref="Infrastructure.WireUpstream"/> (request line, canonical framing, exact body bytes, selected fields).
/// Every row runs whole and split at every byte boundary (see <see cref="ConformanceRunner"/>; long inputs are split at
/// every boundary of the head and at a sample of body offsets, and the test output says so). Rows are seeded from
/// /work/shared/http1-edge-cases.md (the numbers in brackets) and RFC 9110/9112.
/// Shorthand: G = GET / with Host, P = POST / with Host, C = P with Transfer-Encoding: chunked and the end of the head.
/// </summary>
public sealed class ConformanceTableTests(ConformanceFixture fixture, ITestOutputHelper output) : IClassFixture<ConformanceFixture>
{
    private const string G = "GET / HTTP/1.1\r\nHost: a\r\n";
    private const string P = "POST / HTTP/1.1\r\nHost: a\r\n";
    private const string C = P + "Transfer-Encoding: chunked\r\n\r\n";
    private const string Next = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
    private const string Smuggled = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";

    private static readonly ConformanceCase[] Cases =
    [
        // Plain requests: the request line, target and query reach the upstream as sent.
        Row("get", G + "\r\n", 200, Open, Got("GET /", NoBody, "Via: 1.1 gateway", "X-Forwarded-Host: a")),
        Row("head", "HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n", 200, Open, Got("HEAD /h", NoBody)),
        Row("delete-without-body", "DELETE /r/1 HTTP/1.1\r\nHost: a\r\n\r\n", 200, Open, Got("DELETE /r/1", NoBody)),
        // (The upstream client sends Content-Length: 0 for a method other than GET, HEAD, DELETE, OPTIONS or TRACE without
        // content; the length is the same, RFC 9112 §6.3.)
        Row("extension-method", "PURGE /x HTTP/1.1\r\nHost: a\r\n\r\n", 200, Open, Got("PURGE /x", Length(""))),
        Row("target-kept-exactly", "GET /a%20b/c?x=1&y=%20&z=%2F HTTP/1.1\r\nHost: a\r\n\r\n", 200, Open, Got("GET /a%20b/c?x=1&y=%20&z=%2F", NoBody)),

        // Path normalization: the path routed is the path forwarded, so no encoding reaches a route the plain path would not.
        Row("path-unreserved-decoded", "GET /%61dmin/%7Eu?q=%61 HTTP/1.1\r\nHost: a\r\n\r\n", 200, Open, Got("GET /admin/~u?q=%61", NoBody)),
        Row("path-escape-hex-upper-cased", "GET /a%3fb HTTP/1.1\r\nHost: a\r\n\r\n", 200, Open, Got("GET /a%3Fb", NoBody)),
        Row("path-encoded-slash", "GET /a%2Fb/c HTTP/1.1\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("path-encoded-backslash", "GET /a%5cb HTTP/1.1\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("path-encoded-nul", "GET /a%00b HTTP/1.1\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("path-bad-escape", "GET /a%zzb HTTP/1.1\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("path-encoded-dot-dot", "GET /a/%2E%2e/admin HTTP/1.1\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("post-without-framing", P + "\r\n", 200, Open, Got("POST /", Length(""))),

        // Content-Length (RFC 9110 §8.6, RFC 9112 §6.2, §6.3): one canonical value upstream, or 400 and close.
        Row("cl-body", P + "Content-Length: 5\r\n\r\nhello", 200, Open, Got("POST /", Length("hello"))),
        Row("cl-zero", P + "Content-Length: 0\r\n\r\n", 200, Open, Got("POST /", Length(""))),
        Row("cl-leading-zeros [19]", P + "Content-Length: 0005\r\n\r\nhello", 200, Open, Got("POST /", Length("hello"))),
        Row("cl-ows", P + "Content-Length: \t 5 \t\r\n\r\nhello", 200, Open, Got("POST /", Length("hello"))),
        Row("cl-repeated-same [16]", P + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 200, Open, Got("POST /", Length("hello"))),
        Row("cl-list-same [16]", P + "Content-Length: 5, 5\r\n\r\nhello", 200, Open, Got("POST /", Length("hello"))),
        Row("cl-conflicting-lines [15]", P + "Content-Length: 1\r\nContent-Length: 0\r\n\r\nX", 400, Close, Nothing),
        Row("cl-conflicting-list [17]", P + "Content-Length: 5, 6\r\n\r\nhello!", 400, Close, Nothing),
        Row("cl-plus [18]", P + "Content-Length: +5\r\n\r\nhello", 400, Close, Nothing),
        Row("cl-minus [18]", P + "Content-Length: -5\r\n\r\nhello", 400, Close, Nothing),
        Row("cl-hex [18]", P + "Content-Length: 0x5\r\n\r\nhello", 400, Close, Nothing),
        Row("cl-underscore [18]", P + "Content-Length: 5_0\r\n\r\nhello", 400, Close, Nothing),
        Row("cl-inner-space [18]", P + "Content-Length: 1 2\r\n\r\nhello", 400, Close, Nothing),
        Row("cl-empty [18]", P + "Content-Length:\r\n\r\nhello", 400, Close, Nothing),
        Row("cl-overflow [20]", P + "Content-Length: 18446744073709551616\r\n\r\nhello", 400, Close, Nothing),
        Row("cl-over-body-limit", P + "Content-Length: 30000001\r\n\r\n", 413, Close, Nothing),
        Row("get-with-body [21]", G + "Content-Length: 5\r\n\r\nhello", 200, Open, Got("GET /", Length("hello"))),
        Row("body-that-looks-like-a-request [21]", G + $"Content-Length: {Smuggled.Length}\r\n\r\n{Smuggled}", 200, Open, Got("GET /", Length(Smuggled))),
        Row("cl-body-cut-short [33]", P + "Content-Length: 5\r\n\r\nhel", None, Close, Aborted, eof: true),
        Row("cl-body-then-pipelined", P + "Content-Length: 5\r\n\r\nhello" + Next, [200, 200], Open,
            Got(Req("POST /", Length("hello")), Req("GET /next", NoBody))),

        // Transfer-Encoding (RFC 9112 §6.1, §6.3): chunked last and once, never with Content-Length, never on HTTP/1.0.
        Row("te-chunked", C + "5\r\nhello\r\n0\r\n\r\n", 200, Open, Got("POST /", Chunked("hello"))),
        Row("te-chunked-uppercase", P + "Transfer-Encoding: CHUNKED\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 200, Open, Got("POST /", Chunked("hello"))),
        Row("te-htab [9]", P + "Transfer-Encoding:\tchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 200, Open, Got("POST /", Chunked("hello"))),
        Row("cl-and-te [1]", P + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX", 400, Close, Nothing),
        Row("te-and-cl-smuggled-chunk [2]", P + "Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-unknown-with-cl [3]", P + "Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\nhello", 400, Close, Nothing),
        Row("te-unknown [3]", P + "Transfer-Encoding: xchunked\r\n\r\nhello", 400, Close, Nothing),
        Row("te-chunked-identity [4]", P + "Transfer-Encoding: chunked, identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-two-lines [5]", P + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-chunked-twice [6]", P + "Transfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-gzip-chunked [7]", P + "Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501, Close, Nothing),
        Row("te-vertical-tab [8]", P + "Transfer-Encoding: \u000bchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-form-feed [8]", P + "Transfer-Encoding: chunked\u000c\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-nbsp [8]", P + "Transfer-Encoding: chunked\u00a0\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-nel [8]", P + "Transfer-Encoding: \u0085chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-0xff [8]", P + "Transfer-Encoding: chunked\u00ff\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-space-before-colon [10]", P + "Transfer-Encoding : chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-obs-fold [11]", P + "Transfer-Encoding:\r\n chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-leading-comma [12]", P + "Transfer-Encoding: ,chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-trailing-comma [12]", P + "Transfer-Encoding: chunked,\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-empty", P + "Transfer-Encoding:\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-on-http10 [13]", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Nothing),
        Row("te-underscore-look-alike [14]", P + "Transfer_Encoding: chunked\r\nContent-Length: 5\r\n\r\nhello", 200, Open,
            Got("POST /", Length("hello"), "-Transfer_Encoding")),
        Row("cl-underscore-look-alike", P + "Content_Length: 9\r\nContent-Length: 5\r\n\r\nhello", 200, Open,
            Got("POST /", Length("hello"), "-Content_Length")),

        // Chunked bodies (RFC 9112 §7.1): strict syntax, re-framed upstream without extensions or trailers.
        Row("chunked-extensions-stripped", C + "5;a=b\r\nhello\r\n6 ; q=\"x; \\\"y\\\"\"\r\n world\r\n0;z\r\n\r\n", 200, Open, Got("POST /", Chunked("hello world"))),
        Row("chunked-uppercase-hex", C + "A\r\n0123456789\r\n0\r\n\r\n", 200, Open, Got("POST /", Chunked("0123456789"))),
        Row("chunked-leading-zeros", C + "0005\r\nhello\r\n000\r\n\r\n", 200, Open, Got("POST /", Chunked("hello"))),
        Row("chunked-empty", C + "0\r\n\r\n", 200, Open, Got("POST /", Chunked(""))),
        Row("chunked-data-with-crlf", C + "7\r\n0\r\n\r\nab\r\n0\r\n\r\n", 200, Open, Got("POST /", Chunked("0\r\n\r\nab"))),
        Row("chunked-trailers-dropped [32]", C + "5\r\nhello\r\n0\r\nContent-Length: 50\r\nHost: evil\r\nX-Trailer: t\r\n\r\n", 200, Open,
            Got("POST /", Chunked("hello"), "-X-Trailer")),
        Row("chunk-size-0x [22]", C + "0x5\r\nhello\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("chunk-size-plus [22]", C + "+5\r\nhello\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("chunk-size-minus-zero [22]", C + "-0\r\n\r\n", 400, Close, Aborted),
        Row("chunk-size-underscore [22]", C + "0_2e\r\n\r\n", 400, Close, Aborted),
        Row("chunk-size-overflow [23]", C + "FFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("chunk-size-leading-space [24]", C + " 5\r\nhello\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("chunk-size-trailing-space [25]", C + "5 \r\nhello\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("chunked-bare-lf [26]", C + "5\nhello\n0\n\n", 400, Close, Aborted),
        Row("chunk-ext-bare-cr [27]", C + "5;a\rX\r\nhello\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("chunk-ext-lf [27]", C + "5;a\nb\r\nhello\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("chunk-ext-bare-semicolon [28]", C + "5;\r\nhello\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("chunk-ext-unbalanced-quote [28]", C + "5;a=\"b\r\nhello\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("chunk-ext-space-before-crlf", C + "5;a \r\nhello\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("chunk-ext-no-value", C + "5;a=\r\nhello\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("chunk-ext-over-the-cap [29]", C + "1;" + new string('e', 100_000) + "\r\nx\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("chunk-data-too-long [30]", C + "5\r\nhelloXX\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("chunk-data-without-crlf", C + "5\r\nhello0\r\n\r\n", 400, Close, Aborted),
        Row("chunk-size-missing [31]", C + "\r\n5\r\nhello\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("trailer-without-colon", C + "5\r\nhello\r\n0\r\ngarbage\r\n\r\n", 400, Close, Aborted),
        Row("trailer-obs-fold", C + "5\r\nhello\r\n0\r\nX: a\r\n b\r\n\r\n", 400, Close, Aborted),
        Row("chunked-cut-short [33]", C + "5\r\nhel", None, Close, Aborted, eof: true),
        Row("chunked-without-last-chunk [33]", C + "5\r\nhello\r\n", None, Close, Aborted, eof: true),
        Row("chunked-then-pipelined", C + "0\r\n\r\n" + Next, [200, 200], Open, Got(Req("POST /", Chunked("")), Req("GET /next", NoBody))),

        // Line endings (RFC 9112 §2.2): CRLF only; bare CR or NUL in a value is refused.
        Row("bare-lf-everywhere [40]", "GET / HTTP/1.1\nHost: a\n\n", 400, Close, Nothing),
        Row("bare-lf-after-a-field [40]", G + "X: 1\n\r\n", 400, Close, Nothing),
        Row("bare-cr-in-value [34]", G + "X: a\rb\r\n\r\n", 400, Close, Nothing),
        Row("nul-in-value [35]", G + "X: a\0b\r\n\r\n", 400, Close, Nothing),
        Row("cr-cr-lf", "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("empty-line-before-request-line", "\r\n" + G + "\r\n", 400, Close, Nothing),

        // Field syntax (RFC 9112 §5, RFC 9110 §5.5): token names, colon right after, no obs-fold; values trimmed of OWS.
        Row("name-brackets [36]", G + "X[A]: b\r\n\r\n", 400, Close, Nothing),
        Row("name-0xef [36]", G + "X\u00efA: b\r\n\r\n", 400, Close, Nothing),
        Row("name-0x85 [36]", G + "X\u0085: b\r\n\r\n", 400, Close, Nothing),
        Row("empty-name [37]", G + ": x\r\n\r\n", 400, Close, Nothing),
        Row("name-with-space [37]", G + "Foo bar\r\n\r\n", 400, Close, Nothing),
        Row("no-colon [37]", G + "Foo\r\n\r\n", 400, Close, Nothing),
        Row("whitespace-line-after-request-line [38]", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400, Close, Nothing),
        Row("obs-fold [39]", G + "X: a\r\n b\r\n\r\n", 400, Close, Nothing),
        Row("value-ows-trimmed", G + "X-A: \t b c \t\r\nX-Empty:\r\n\r\n", 200, Open, Got("GET /", NoBody, "X-A: b c", "X-Empty:")),
        Row("value-visible-characters", G + "X-Q: \"q\", (c) <x> {y} ~!\r\n\r\n", 200, Open, Got("GET /", NoBody, "X-Q: \"q\", (c) <x> {y} ~!")),
        Row("value-obs-text", G + "X-Latin: caf\u00e9\r\n\r\n", 200, Open, Got("GET /", NoBody, "X-Latin: caf\u00e9")),
        Row("name-case-insensitive", "GET / HTTP/1.1\r\nhOsT: a\r\n\r\n", 200, Open, Got("GET /", NoBody, "X-Forwarded-Host: a")),

        // Request line and version (RFC 9112 §3, §2.3; RFC 9110 §2.5).
        Row("double-space [41]", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("tab-separator [41]", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("space-in-target [41]", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("version-1.10 [42]", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("version-lowercase [42]", "GET / http/1.1\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("version-1.1a [42]", "GET / HTTP/1.1a\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("version-0.9 [42]", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("version-missing", "GET /\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("version-2.0 [42]", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, Close, Nothing),
        Row("version-1.2-is-1.1", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 200, Open, Got("GET /", NoBody, "Via: 1.1 gateway")),
        Row("method-not-a-token", "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("connect-not-tunnelled", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 501, Close, Nothing),
        Row("options-asterisk", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", 200, Open, Nothing),
        Row("asterisk-not-options", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("absolute-form [44]", "GET http://b/x HTTP/1.1\r\nHost: a\r\n\r\n", 200, Open, Got("GET /x", NoBody, "X-Forwarded-Host: b")),
        Row("absolute-form-port-query [44]", "GET http://b:8080/x?q=1 HTTP/1.1\r\nHost: a\r\n\r\n", 200, Open, Got("GET /x?q=1", NoBody, "X-Forwarded-Host: b:8080")),
        Row("absolute-form-no-path", "GET http://b HTTP/1.1\r\nHost: b\r\n\r\n", 200, Open, Got("GET /", NoBody, "X-Forwarded-Host: b")),
        Row("absolute-form-userinfo", "GET http://u@b/x HTTP/1.1\r\nHost: b\r\n\r\n", 400, Close, Nothing),
        Row("dot-segment", "GET /a/../admin HTTP/1.1\r\nHost: a\r\n\r\n", 400, Close, Nothing),
        Row("fragment-in-target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400, Close, Nothing),

        // Host (RFC 9112 §3.2, RFC 9110 §7.2, §4.2.1).
        Row("host-missing [43]", "GET / HTTP/1.1\r\n\r\n", 400, Close, Nothing),
        Row("host-twice [43]", G + "Host: a\r\n\r\n", 400, Close, Nothing),
        Row("host-list [43]", "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", 400, Close, Nothing),
        Row("host-userinfo [43]", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400, Close, Nothing),
        Row("host-empty", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 400, Close, Nothing),
        Row("host-with-port", "GET / HTTP/1.1\r\nHost: a:8080\r\n\r\n", 200, Open, Got("GET /", NoBody, "X-Forwarded-Host: a:8080")),
        Row("http10-without-host", "GET / HTTP/1.0\r\n\r\n", 200, Close, Got("GET /", NoBody, "Via: 1.0 gateway", "-X-Forwarded-Host")),

        // Connection (RFC 9112 §9.3, §9.6; RFC 9110 §7.6.1): persistence, HTTP/1.0 keep-alive, named fields stripped.
        Row("connection-close", G + "Connection: close\r\n\r\n", 200, Close, Got("GET /", NoBody)),
        Row("http10-closes-by-default", "GET / HTTP/1.0\r\nHost: a\r\n\r\n", 200, Close, Got("GET /", NoBody, "Via: 1.0 gateway")),
        Row("http10-keep-alive [46]", "GET / HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n", 200, Open, Got("GET /", NoBody, "Via: 1.0 gateway")),
        Row("http10-keep-alive-with-body [46]", "POST / HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello", 200, Open,
            Got("POST /", Length("hello"))),
        Row("connection-names-a-field", G + "Connection: X-Secret\r\nX-Secret: s\r\nX-Kept: k\r\n\r\n", 200, Open, Got("GET /", NoBody, "-X-Secret", "X-Kept: k")),
        Row("connection-close-names-xff [48]", G + "Connection: close, X-Forwarded-For\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n", 200, Close, Got("GET /", NoBody)),
        Row("connection-names-host", G + "Connection: host\r\n\r\n", 400, Close, Nothing),
        Row("connection-names-content-length", P + "Connection: Content-Length\r\nContent-Length: 5\r\n\r\nhello", 400, Close, Nothing),
        Row("connection-names-transfer-encoding", C.Replace("\r\n\r\n", "\r\nConnection: transfer-encoding\r\n\r\n", StringComparison.Ordinal) + "0\r\n\r\n",
            400, Close, Nothing),
        Row("connection-not-tokens", G + "Connection: keep alive\r\n\r\n", 400, Close, Nothing),
        Row("connection-empty-elements", G + "Connection: , close ,\r\n\r\n", 200, Close, Got("GET /", NoBody)),
        // Upgrade: websocket is the one upgrade forwarded (the WebSocket tests); any other, h2c here, is dropped with Connection.
        Row("hop-by-hop-dropped", G + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nUpgrade: h2c\r\nConnection: upgrade\r\nTE: trailers, deflate\r\n\r\n",
            200, Open, Got("GET /", NoBody, "TE: trailers")),
        Row("te-field-without-trailers-dropped", G + "TE: gzip\r\n\r\n", 200, Open, Got("GET /", NoBody, "-TE")),
        Row("client-forwarding-fields-replaced", G + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: evil\r\nForwarded: for=1.2.3.4\r\n\r\n", 200, Open,
            Got("GET /", NoBody, "X-Forwarded-Host: a")),
        Row("via-appended", G + "Via: 1.1 edge\r\n\r\n", 200, Open, Got("GET /", NoBody, "Via: 1.1 edge, 1.1 gateway")),

        // Expect (RFC 9110 §10.1.1): the gateway answers 100-continue itself (unless the body already arrived: the runner
        // reads an expected 100 only when one came) and never forwards the expectation.
        Row("expect-continue [47]", P + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\nhello", [100, 200], Open, Got("POST /", Length("hello"))),
        Row("expect-continue-chunked [47]", C.Replace("\r\n\r\n", "\r\nExpect: 100-Continue\r\n\r\n", StringComparison.Ordinal) + "5\r\nhello\r\n0\r\n\r\n",
            [100, 200], Open, Got("POST /", Chunked("hello"))),
        Row("expect-unknown [47]", P + "Expect: 200-ok\r\nContent-Length: 5\r\n\r\nhello", 417, Close, Nothing),
        Row("expect-empty", P + "Expect:\r\nContent-Length: 5\r\n\r\nhello", 200, Open, Got("POST /", Length("hello"))),
        Row("expect-on-http10-ignored", "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello", 200, Close, Got("POST /", Length("hello"))),
        Row("expect-without-body", G + "Expect: 100-continue\r\n\r\n", 200, Open, Got("GET /", NoBody)),

        // Pipelining (RFC 9112 §9.3.2): answered in order; nothing after a closing request or a framing error is read.
        Row("pipelined-gets [45]", "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n", [200, 200], Open,
            Got(Req("GET /1", NoBody), Req("GET /2", NoBody))),
        Row("pipelined-after-close", G + "Connection: close\r\n\r\n" + Next, 200, Close, Got("GET /", NoBody)),
        Row("pipelined-after-http10", "GET / HTTP/1.0\r\n\r\n" + Next, 200, Close, Got("GET /", NoBody)),
        Row("pipelined-then-error [45]", Next + P + "Content-Length: x\r\n\r\n" + Smuggled, [200, 400], Close, Got("GET /next", NoBody)),
        Row("error-then-pipelined [45]", P + "Content-Length: 5, 6\r\n\r\nhello!" + Smuggled, 400, Close, Nothing),
        Row("chunked-error-then-pipelined [45]", C + "5\r\nhelloXX\r\n0\r\n\r\n" + Smuggled, 400, Close, Aborted),
    ];

    /// <summary>The case names, one test each.</summary>
    public static TheoryData<string> CaseNames => [.. Cases.Select(c => c.Name)];

    [Fact]
    public void TableHasAtLeastAHundredUniquelyNamedCases()
    {
        Assert.True(Cases.Length >= 100, $"{Cases.Length} cases");
        Assert.Equal(Cases.Length, Cases.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task CaseHoldsWholeAndSplitAtEveryBoundary(string name)
    {
        var summary = await fixture.Runner.RunAsync(Cases.Single(c => c.Name == name));

        output.WriteLine(summary);
    }
}
