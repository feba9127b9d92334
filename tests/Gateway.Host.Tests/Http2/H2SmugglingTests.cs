using System.Text;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Http2;

/// <summary>
/// The smuggling rules through HTTP/2 (RFC 9113 §8.1.1, §8.2, §8.3): every malformed request HTTP/2 can express is
/// refused, by Kestrel (stream reset, GOAWAY, or its 4xx) or by the gateway (a 400 for what the HTTP/1.1 form cannot carry),
/// and reaches no upstream; a body that carries an HTTP/1.1 request stays a body. After each, a request on a new
/// connection is served, and it is the only one the upstream sees.
/// </summary>
public sealed class H2SmugglingTests
{
    private const string Hidden = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";

    /// <summary>Malformed header blocks: name, fields after the four pseudo-fields of <c>GET /front</c> (or the whole block when it starts with a pseudo-field).</summary>
    public static TheoryData<string> MalformedBlocks => [.. Blocks.Keys];

    private static Dictionary<string, Func<int, (string Name, string Value)[]>> Blocks { get; } = new()
    {
        ["te-transfer-encoding"] = port => [.. Front(port), ("transfer-encoding", "chunked")],
        ["te-other-than-trailers"] = port => [.. Front(port), ("te", "gzip")],
        ["te-trailers-and-more"] = port => [.. Front(port), ("te", "trailers, gzip")],
        ["cr-lf-in-value"] = port => [.. Front(port), ("x-note", "a\r\nX-Injected: 1")],
        ["lf-in-value"] = port => [.. Front(port), ("x-note", "a\nGET /smuggled HTTP/1.1")],
        ["nul-in-value"] = port => [.. Front(port), ("x-note", "a\0b")],
        ["cr-lf-in-path"] = port => [(":method", "GET"), (":scheme", "http"), (":path", "/front HTTP/1.1\r\nHost: a\r\n\r\nGET /smuggled"), (":authority", Authority(port))],
        ["space-in-path"] = port => [(":method", "GET"), (":scheme", "http"), (":path", "/front HTTP/1.1"), (":authority", Authority(port))],
        ["cr-lf-in-authority"] = port => [(":method", "GET"), (":scheme", "http"), (":path", "/front"), (":authority", "a\r\nX-Injected: 1")],
        ["space-in-method"] = port => [(":method", "GET /smuggled"), (":scheme", "http"), (":path", "/front"), (":authority", Authority(port))],
        ["uppercase-name"] = port => [.. Front(port), ("X-Upper", "1")],
        ["colon-in-name"] = port => [.. Front(port), ("x:y", "1")],
        ["colon-in-name-hides-a-field"] = port => [.. Front(port), ("upgrade:websocket", "1")],
        ["space-in-name"] = port => [.. Front(port), ("x y", "1")],
        ["connection"] = port => [.. Front(port), ("connection", "close")],
        ["keep-alive"] = port => [.. Front(port), ("keep-alive", "timeout=5")],
        ["proxy-connection"] = port => [.. Front(port), ("proxy-connection", "keep-alive")],
        ["upgrade"] = port => [.. Front(port), ("upgrade", "h2c")],
        ["missing-path"] = port => [(":method", "GET"), (":scheme", "http"), (":authority", Authority(port))],
        ["missing-method"] = port => [(":scheme", "http"), (":path", "/front"), (":authority", Authority(port))],
        ["empty-path"] = port => [(":method", "GET"), (":scheme", "http"), (":path", ""), (":authority", Authority(port))],
        ["duplicate-path"] = port => [(":method", "GET"), (":scheme", "http"), (":path", "/front"), (":path", "/smuggled"), (":authority", Authority(port))],
        ["duplicate-method"] = port => [(":method", "GET"), (":method", "POST"), (":scheme", "http"), (":path", "/front"), (":authority", Authority(port))],
        ["duplicate-authority"] = port => [.. Front(port), (":authority", "other")],
        ["pseudo-after-regular"] = port => [(":method", "GET"), (":scheme", "http"), ("x-note", "1"), (":path", "/front"), (":authority", Authority(port))],
        ["unknown-pseudo"] = port => [.. Front(port), (":smuggle", "1")],
        ["response-pseudo"] = port => [.. Front(port), (":status", "200")],
        ["two-content-lengths"] = port => [.. Front(port), ("content-length", "0"), ("content-length", "36")],
        ["content-length-list"] = port => [.. Front(port), ("content-length", "0, 36")],
        ["content-length-not-a-number"] = port => [.. Front(port), ("content-length", "+36")],
        ["connect"] = port => [(":method", "CONNECT"), (":authority", "upstream.example:443")],
        ["connect-with-path"] = port => [(":method", "CONNECT"), (":scheme", "http"), (":path", "/front"), (":authority", Authority(port))],
        ["headers-over-the-limit"] = port => [.. Front(port), .. Enumerable.Range(0, 40).Select(i => ($"x-big-{i}", new string('a', 1000)))],
        ["one-field-over-the-limit"] = port => [.. Front(port), ("x-big", new string('a', 40_000))],
        ["too-many-fields"] = port => [.. Front(port), .. Enumerable.Range(0, 120).Select(i => ($"x-f{i}", "1"))],
        ["path-over-the-line-limit"] = port => [(":method", "GET"), (":scheme", "http"), (":path", "/" + new string('a', 9000)), (":authority", Authority(port))],
    };

    [Theory]
    [MemberData(nameof(MalformedBlocks))]
    public async Task AMalformedRequestIsRefusedAndReachesNoUpstream(string name)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var port = gateway.H2cEndPoint().Port;

        string status;
        await using (var connection = await RawHttp2.ConnectAsync(gateway.H2cEndPoint()))
        {
            status = (await connection.RequestAsync(1, Blocks[name](port))).Status;
        }

        // CONNECT is the gateway's 501, as on HTTP/1.1: it tunnels nothing.
        Assert.True(status is "reset" or "501" || status.StartsWith('4'), $"{name} got {status}");
        await AssertOnlyTheNextRequestArrivesAsync(gateway, upstream);
    }

    [Theory]
    [InlineData("5", "hello, world")]
    [InlineData("50", "hello")]
    public async Task ABodyThatDisagreesWithItsContentLengthReachesNoUpstream(string length, string body)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));

        string status;
        await using (var connection = await RawHttp2.ConnectAsync(gateway.H2cEndPoint()))
        {
            status = (await connection.RequestAsync(1, [.. RawHttp2.Pseudo("POST", "/front", gateway.H2cEndPoint()), ("content-length", length)], Encoding.ASCII.GetBytes(body))).Status;
        }

        // Kestrel resets the stream (PROTOCOL_ERROR) when the DATA frames disagree with content-length (RFC 9113 §8.1.1); the
        // upstream may have seen the head, but never a complete request.
        Assert.Equal("reset", status);
        await AssertOnlyTheNextRequestArrivesAsync(gateway, upstream);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("GET")]
    public async Task BytesPastAZeroContentLengthNeverReachTheUpstream(string method)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));

        string status;
        await using (var connection = await RawHttp2.ConnectAsync(gateway.H2cEndPoint()))
        {
            status = (await connection.RequestAsync(1, [.. RawHttp2.Pseudo(method, "/front", gateway.H2cEndPoint()), ("content-length", "0")], Encoding.ASCII.GetBytes(Hidden))).Status;
        }

        // The request is complete at its head, so it may be forwarded and answered before Kestrel reads the DATA frame and
        // resets the stream; either way the upstream gets at most the bodiless request the head declared, which may
        // reach it after the client saw the reset, even after the next request.
        Assert.True(status is "reset" or "200", $"got {status}");
        Assert.Equal("200", await RawHttp2.GetAsync(gateway.H2cEndPoint(), "/next"));
        Assert.All(upstream.Requests, seen => Assert.True(
            seen.Target == "/next" || (seen.Target == "/front" && seen.Body.Length == 0), $"the upstream got {seen.Target} with {seen.Body.Length} body bytes"));
        Assert.Single(upstream.Requests, seen => seen.Target == "/next");
        Assert.True(upstream.Requests.Count(seen => seen.Target == "/front") <= 1, "the request reached the upstream more than once");
    }

    [Fact]
    public async Task AHostFieldNeverCompetesWithTheAuthority()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var status = await RawHttp2.GetAsync(gateway.H2cEndPoint(), "/front", ("host", "other.example"));

        // Kestrel replaces host with :authority, so the route and the upstream see the one authority the client asked for.
        Assert.Equal("200", status);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal($"127.0.0.1:{gateway.H2cEndPoint().Port}", seen.Header("X-Forwarded-Host"));
        Assert.DoesNotContain(seen.Headers, field => field.Value.Contains("other.example", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("POST", false)]
    [InlineData("POST", true)]
    [InlineData("GET", true)]
    public async Task ABodyCarryingAnHttp1RequestStaysTheBodyOfOneRequest(string method, bool withLength)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));
        (string, string)[] fields = withLength
            ? [.. RawHttp2.Pseudo(method, "/front", gateway.H2cEndPoint()), ("content-length", $"{Hidden.Length}")]
            : RawHttp2.Pseudo(method, "/front", gateway.H2cEndPoint());

        H2Answer answer;
        await using (var connection = await RawHttp2.ConnectAsync(gateway.H2cEndPoint()))
        {
            answer = await connection.RequestAsync(1, fields, Encoding.ASCII.GetBytes(Hidden));
        }

        Assert.Equal("200", answer.Status);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("/front", seen.Target);
        Assert.Equal(Hidden, Encoding.ASCII.GetString(seen.Body));
        await AssertOnlyTheNextRequestArrivesAsync(gateway, upstream, alreadySeen: 1);
    }

    [Fact]
    public async Task SmugglingOnOneStreamLeavesTheConnectionsOtherStreamsAlone()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var connection = await RawHttp2.ConnectAsync(gateway.H2cEndPoint());

        var refused = await connection.RequestAsync(1, [.. Front(gateway.H2cEndPoint().Port), ("keep-alive", "timeout=5")]);
        var served = await connection.RequestAsync(3, RawHttp2.Pseudo("GET", "/after", gateway.H2cEndPoint()));

        Assert.Equal("400", refused.Status);
        Assert.Equal("200", served.Status);
        Assert.Equal(["/after"], upstream.Requests.Select(r => r.Target));
    }

    /// <summary>A request on a fresh connection is served, and it is the only request the upstream has seen after <paramref name="alreadySeen"/>.</summary>
    private static async Task AssertOnlyTheNextRequestArrivesAsync(TestGateway gateway, RecordingUpstream upstream, int alreadySeen = 0)
    {
        Assert.Equal("200", await RawHttp2.GetAsync(gateway.H2cEndPoint(), "/next"));
        Assert.Equal("/next", Assert.Single(upstream.Requests.Skip(alreadySeen)).Target);
        Assert.DoesNotContain(upstream.Requests, r => r.Target.Contains("smuggled", StringComparison.Ordinal));
    }

    private static (string Name, string Value)[] Front(int port) => [(":method", "GET"), (":scheme", "http"), (":path", "/front"), (":authority", Authority(port))];

    private static string Authority(int port) => $"127.0.0.1:{port}";
}
