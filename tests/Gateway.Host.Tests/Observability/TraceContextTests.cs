using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Observability;

/// <summary>W3C trace context and X-Request-Id as the upstream and the client see them.</summary>
public sealed class TraceContextTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";

    [Fact]
    public async Task ClientTraceIsContinuedWithTheGatewaySpanAsParent()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync(
            $"GET /x HTTP/1.1\r\nHost: a\r\ntraceparent: 00-{TraceId}-b7ad6b7169203331-01\r\ntracestate: vendor=1\r\nX-Request-Id: client-req-42\r\n\r\n");

        Assert.Equal(200, response.Status);
        var seen = Assert.Single(upstream.Requests);
        var traceparent = seen.Header("traceparent")!;
        Assert.Matches($"^00-{TraceId}-[0-9a-f]{{16}}-01$", traceparent);
        Assert.NotEqual("b7ad6b7169203331", traceparent[36..52]);
        Assert.Equal("vendor=1", seen.Header("tracestate"));
        Assert.Equal("client-req-42", seen.Header("X-Request-Id"));
        Assert.Equal("client-req-42", response.Header("X-Request-Id"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("traceparent: not-a-trace\r\n")]
    public async Task MissingOrInvalidTraceStartsANewOne(string traceHeader)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));

        var response = await gateway.SendAsync($"GET /x HTTP/1.1\r\nHost: a\r\n{traceHeader}\r\n");

        var seen = Assert.Single(upstream.Requests);
        var traceparent = seen.Header("traceparent")!;
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", traceparent);
        Assert.Equal(traceparent[3..35], response.Header("X-Request-Id"));
        Assert.Equal(response.Header("X-Request-Id"), seen.Header("X-Request-Id"));
    }

    [Fact]
    public async Task GatewayErrorsCarryTheRequestId()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            { "routes": [ { "id": "a", "match": { "path": "/a" }, "cluster": "c" } ], "clusters": { "c": { "destinations": [ "{{upstream.Url}}" ] } } }
            """));

        var response = await gateway.SendAsync("GET /b HTTP/1.1\r\nHost: a\r\nX-Request-Id: abc-1\r\n\r\n");

        Assert.Equal(404, response.Status);
        Assert.Equal("abc-1", response.Header("X-Request-Id"));
    }
}
