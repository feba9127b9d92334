using System.Net;
using System.Text.Json;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Http2;

/// <summary>HTTP/2 with prior knowledge on an h2c:// listener reaches HTTP/1.1 upstreams through the same routes, steps and pools as HTTP/1.1.</summary>
public sealed class H2cListenerTests
{
    [Fact]
    public async Task AGetReachesAnHttp1UpstreamWithTheGatewaysForwardingFields()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));
        using var client = H2cGateway.Client(gateway);

        using var response = await client.GetAsync("/items/7?color=red");

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upstream GET /items/7?color=red", await response.Content.ReadAsStringAsync());
        Assert.Equal("upstream", Assert.Single(response.Headers.GetValues("X-Upstream")));
        Assert.Equal("1.1 gateway", string.Join(",", response.Headers.Via));
        Assert.False(response.Headers.Contains("Connection"));
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("HTTP/1.1", seen.Protocol);
        Assert.Equal($"127.0.0.1:{gateway.H2cEndPoint().Port}", seen.Header("X-Forwarded-Host"));
        Assert.Equal("http", seen.Header("X-Forwarded-Proto"));
        Assert.Equal("127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Equal("2 gateway", seen.Header("Via"));
        Assert.DoesNotContain(seen.Headers, field => field.Key.StartsWith(':') || field.Key.Equals("TE", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task RequestBodiesOfKnownAndUnknownLengthArriveWhole()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));
        using var client = H2cGateway.Client(gateway);
        var body = Payload.Create(200_000);

        using var known = await client.PostAsync("/hash", new ByteArrayContent(body));
        using var unknown = await client.PostAsync("/hash", new StreamContent(new MemoryStream(body)) { Headers = { ContentLength = null } });

        Assert.Equal(Payload.Sha256(body), await known.Content.ReadAsStringAsync());
        Assert.Equal(Payload.Sha256(body), await unknown.Content.ReadAsStringAsync());
        Assert.All(upstream.Requests, seen => Assert.Equal(body.Length, seen.BodyLength));
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), upstream.Requests[0].Header("Content-Length"));
    }

    [Fact]
    public async Task AStreamedResponseOfUnknownLengthArrivesWhole()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));
        using var client = H2cGateway.Client(gateway);

        var body = await client.GetByteArrayAsync("/stream/300000");

        Assert.Equal(Payload.Create(300_000), body);
    }

    [Fact]
    public async Task TheRoutesStepsAndProblemsApply()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.Parse($$"""
            {
              "rateLimits": { "one": { "permits": 1, "period": "1h", "key": "Global" } },
              "routes": [ { "id": "api", "match": { "path": "/api/{*rest}" }, "cluster": "c", "policies": { "rateLimit": ["one"] } } ],
              "clusters": { "c": { "destinations": ["{{upstream.Url}}"] } }
            }
            """));
        using var client = H2cGateway.Client(gateway);

        using var first = await client.GetAsync("/api/a");
        using var limited = await client.GetAsync("/api/b");
        using var missing = await client.GetAsync("/nowhere");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertProblemAsync(HttpStatusCode.TooManyRequests, limited);
        Assert.NotNull(limited.Headers.RetryAfter);
        await AssertProblemAsync(HttpStatusCode.NotFound, missing);
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task ConcurrentStreamsOnOneConnectionAreServedTogether()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));
        using var client = H2cGateway.Client(gateway);

        var held = Enumerable.Range(0, 8).Select(i => client.GetStringAsync($"/hold/{i}")).ToList();
        await Wait.UntilAsync(() => upstream.Holding == 8, "eight streams held at the upstream at once");
        upstream.ReleaseHeld();

        Assert.All(await Task.WhenAll(held), body => Assert.Equal("released", body));
    }

    [Fact]
    public async Task CookieFieldsAreJoinedIntoOne()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var status = await RawHttp2.GetAsync(gateway.H2cEndPoint(), "/cookies", ("cookie", "a=1"), ("cookie", "b=2"), ("cookie", "c=3"));

        Assert.Equal("200", status);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("a=1; b=2; c=3", Assert.Single(seen.Headers, field => field.Key.Equals("Cookie", StringComparison.OrdinalIgnoreCase)).Value);
    }

    [Theory]
    [InlineData("connection", "keep-alive", "reset")]
    [InlineData("te", "gzip", "reset")]
    [InlineData("transfer-encoding", "chunked", "400")]
    [InlineData("keep-alive", "timeout=5", "400")]
    [InlineData("proxy-connection", "keep-alive", "400")]
    [InlineData("upgrade", "websocket", "400")]
    public async Task ConnectionSpecificFieldsAreRefusedAndReachNoUpstream(string name, string value, string refusal)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var status = await RawHttp2.GetAsync(gateway.H2cEndPoint(), "/smuggle", (name, value));
        var next = await RawHttp2.GetAsync(gateway.H2cEndPoint(), "/next");

        // Kestrel resets the stream itself for connection and te; the gateway answers the others 400.
        Assert.Equal(refusal, status);
        Assert.Equal("200", next);
        Assert.Equal("/next", Assert.Single(upstream.Requests).Target);
    }

    [Theory]
    [InlineData("/a/../admin")]
    [InlineData("/a%2F..%2Fadmin")]
    [InlineData("/a%5C..%5Cadmin")]
    public async Task ThePathRulesOfTheHttp1ParserApply(string path)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var status = await RawHttp2.GetAsync(gateway.H2cEndPoint(), path);

        Assert.Equal("400", status);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task AContentLengthTheStreamDoesNotCarryReachesNoUpstream()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var status = await RawHttp2.GetAsync(gateway.H2cEndPoint(), "/short", ("content-length", "5"));

        Assert.True(status is "400" or "reset", $"the malformed request got {status}");
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task TheHttp1ListenerKeepsServingBesideIt()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));
        using var client = H2cGateway.Client(gateway);

        // Turn about, so that each request may be served with what the one before it (of the other protocol) used.
        for (var round = 0; round < 3; round++)
        {
            using var overHttp2 = await client.GetAsync($"/two/{round}");
            var overHttp1 = await gateway.SendAsync($"GET /one/{round} HTTP/1.1\r\nHost: a\r\n\r\n");

            Assert.Equal(HttpStatusCode.OK, overHttp2.StatusCode);
            Assert.Equal(200, overHttp1.Status);
            Assert.Equal($"upstream GET /one/{round}", overHttp1.BodyText);
        }

        Assert.All(upstream.Requests, seen => Assert.Equal(seen.Target.StartsWith("/two", StringComparison.Ordinal) ? "2 gateway" : "1.1 gateway", seen.Header("Via")));
        Assert.All(upstream.Requests, seen => Assert.Equal(
            seen.Target.StartsWith("/two", StringComparison.Ordinal) ? $"127.0.0.1:{gateway.H2cEndPoint().Port}" : "a", seen.Header("X-Forwarded-Host")));
        Assert.Equal(6, upstream.Requests.Count);
        Assert.Equal(["http", "h2c"], gateway.Server.PublicUrls.Select(url => url.Split(':')[0]));
    }

    private static async Task AssertProblemAsync(HttpStatusCode status, HttpResponseMessage response)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("X-Request-Id"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
    }
}
