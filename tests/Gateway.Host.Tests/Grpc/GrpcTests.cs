using System.Net;
using Gateway.Host.Tests.Grpc.Protos;
using Gateway.Host.Tests.Http2;
using Gateway.Host.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gateway.Host.Tests.Grpc;

/// <summary>gRPC calls through the gateway's h2c:// listener to a real gRPC service (Grpc.AspNetCore) behind an <c>"protocol": "h2c"</c> cluster.</summary>
public sealed class GrpcTests
{
    private const string AcmeHash = "sha256:904fc520be4ca9db80d0ffcc6bf7e01b4148e33d45bb6b422ad2e607815fb508"; // "acme-key-1"

    [Fact]
    public async Task UnaryCallReachesTheServiceOverHttp2()
    {
        await using var upstream = await Http2Upstream.StartAsync();
        await using var gateway = await StartAsync(upstream.Url);
        using var channel = Channel(gateway);

        var reply = await new Echo.EchoClient(channel).SayAsync(new EchoRequest { Text = "hello" });

        Assert.Equal("echo: hello", reply.Text);
        Assert.Equal("HTTP/2", upstream.Calls.LastProtocol);
        Assert.Equal("trailers", upstream.Calls.LastTe);
        Assert.NotNull(upstream.Calls.LastHeaders!.GetValue("x-request-id"));
    }

    [Fact]
    public async Task ServerStreamingCallRelaysEveryMessage()
    {
        await using var upstream = await Http2Upstream.StartAsync();
        await using var gateway = await StartAsync(upstream.Url);
        using var channel = Channel(gateway);

        using var call = new Echo.EchoClient(channel).Repeat(new EchoRequest { Text = "tick", Count = 5 });
        var replies = new List<EchoReply>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            replies.Add(reply);
        }

        Assert.Equal([0, 1, 2, 3, 4], replies.Select(r => r.Index));
        Assert.All(replies, r => Assert.Equal("tick", r.Text));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task TheServicesErrorStatusAndMessageReachTheClient()
    {
        await using var upstream = await Http2Upstream.StartAsync();
        await using var gateway = await StartAsync(upstream.Url);
        using var channel = Channel(gateway);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Echo.EchoClient(channel).SayAsync(new EchoRequest { Text = "no such order", FailWith = (int)StatusCode.NotFound }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no such order", error.Status.Detail);
    }

    [Fact]
    public async Task ADeadlineShorterThanTheServiceEndsTheCallAndCancelsItUpstream()
    {
        await using var upstream = await Http2Upstream.StartAsync();
        await using var gateway = await StartAsync(upstream.Url);
        using var channel = Channel(gateway);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new Echo.EchoClient(channel).SayAsync(
            new EchoRequest { Text = "slow", DelayMs = 600_000 }, deadline: DateTime.UtcNow.AddMilliseconds(300)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await upstream.Calls.Cancelled.Task.WaitAsync(Wait.Generous);
    }

    [Fact]
    public async Task TheGatewayHonoursGrpcTimeoutItselfAndAnswersDeadlineExceeded()
    {
        // /slow is no gRPC service: it never gives up on its own, so only the gateway's deadline can end the call.
        await using var upstream = await Http2Upstream.StartAsync();
        await using var gateway = await StartAsync(upstream.Url);
        using var client = H2cGateway.Client(gateway);
        using var request = GrpcRequest("/slow");
        request.Headers.Add("grpc-timeout", "200m");

        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("4", GrpcStatus(response));
        await upstream.SlowCancelled.Task.WaitAsync(Wait.Generous);
    }

    [Fact]
    public async Task ARateLimitedCallIsResourceExhausted()
    {
        await using var upstream = await Http2Upstream.StartAsync();
        await using var gateway = await StartAsync(upstream.Url, """ "rateLimit": ["one"] """);
        using var channel = Channel(gateway);
        var client = new Echo.EchoClient(channel);

        await client.SayAsync(new EchoRequest { Text = "first" });
        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.SayAsync(new EchoRequest { Text = "second" }));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task ACallWithoutCredentialsIsUnauthenticated()
    {
        await using var upstream = await Http2Upstream.StartAsync();
        await using var gateway = await StartAsync(upstream.Url, """ "authentication": ["partners"] """);
        using var channel = Channel(gateway);
        var client = new Echo.EchoClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.SayAsync(new EchoRequest { Text = "who?" }));
        var reply = await client.SayAsync(new EchoRequest { Text = "me" }, new Metadata { { "X-Api-Key", "acme-key-1" } });

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("echo: me", reply.Text);
    }

    [Fact]
    public async Task ADeadUpstreamIsUnavailable()
    {
        await using var gateway = await StartAsync($"http://127.0.0.1:{Ports.Free()}");
        using var channel = Channel(gateway);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new Echo.EchoClient(channel).SayAsync(new EchoRequest { Text = "anyone?" }));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("could not connect", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallNoRouteMatchesIsUnimplemented()
    {
        await using var upstream = await Http2Upstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "other", "match": { "path": "/other" }, "cluster": "grpc" } ],
              "clusters": { "grpc": { "destinations": ["{{upstream.Url}}"], "protocol": "h2c" } }
            }
            """));
        using var channel = Channel(gateway);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new Echo.EchoClient(channel).SayAsync(new EchoRequest { Text = "lost" }));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    /// <summary>A gateway with one catch-all route, with <paramref name="policies"/>, to an h2c cluster at <paramref name="destination"/>.</summary>
    internal static Task<TestGateway> StartAsync(string destination, string policies = "") => H2cGateway.StartAsync(Configs.Parse($$"""
        {
          "authentication": { "partners": { "apiKey": { "header": "X-Api-Key", "keys": { "acme": "{{AcmeHash}}" } } } },
          "rateLimits": { "one": { "permits": 1, "period": "1h" } },
          "routes": [ { "id": "grpc", "match": { "path": "/{*path}" }, "cluster": "grpc", "policies": { {{policies}} } } ],
          "clusters": { "grpc": { "destinations": ["{{destination}}"], "protocol": "h2c" } }
        }
        """));

    /// <summary>A gRPC channel to the gateway's h2c:// listener.</summary>
    internal static GrpcChannel Channel(TestGateway gateway) =>
        GrpcChannel.ForAddress($"http://127.0.0.1:{gateway.H2cEndPoint().Port}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler() });

    /// <summary>A bodiless gRPC-looking POST (an empty message frame) to <paramref name="path"/>.</summary>
    internal static HttpRequestMessage GrpcRequest(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(new byte[5]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        return request;
    }

    /// <summary>The grpc-status of a response: from its trailers, or its head for a trailers-only response.</summary>
    internal static string? GrpcStatus(HttpResponseMessage response) =>
        response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.Single()
        : response.Headers.TryGetValues("grpc-status", out var head) ? head.Single()
        : null;
}
