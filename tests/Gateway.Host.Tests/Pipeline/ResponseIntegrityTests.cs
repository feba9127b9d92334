using Gateway.Core.Http;
using Gateway.Core.Pipeline;
using Gateway.Core.Routing;
using Gateway.Core.Snapshots;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Pipeline;

/// <summary>
/// Every response the gateway makes goes through one head writer: no body to HEAD, the gateway's own framing only, the
/// request's field edits applied to its problems too, and its body shown to the steps that watch it; a step that fails
/// gets the client a 500 and keeps the connection's framing intact.
/// </summary>
public sealed class ResponseIntegrityTests
{
    private const string Limited = """
        {
          "routes": [
            { "id": "limited", "match": { "path": "/limited" }, "respond": { "status": 200, "body": "ok" }, "policies": { "rateLimit": ["one"] } },
            { "id": "ping", "match": { "path": "/ping" }, "respond": { "status": 200, "body": "pong" } }
          ],
          "rateLimits": { "one": { "permits": 1, "period": "1h" } }
        }
        """;

    [Theory]
    [InlineData("/nope", 404)]
    [InlineData("/limited", 429)]
    public async Task AProblemAnswerToHeadHasNoBodyAndTheConnectionStaysInStep(string path, int status)
    {
        await using var gateway = await TestGateway.StartAsync(Configs.Parse(Limited));
        await using var connection = await gateway.ConnectAsync();
        Assert.Equal(200, (await gateway.SendAsync("GET /limited HTTP/1.1\r\nHost: a\r\n\r\n")).Status);

        await connection.SendAsync($"HEAD {path} HTTP/1.1\r\nHost: a\r\n\r\n");
        var head = await connection.ReadResponseAsync(bodyless: true);
        await connection.SendAsync("GET /ping HTTP/1.1\r\nHost: a\r\n\r\n");
        var next = await connection.ReadResponseAsync();

        Assert.Equal(status, head.Status);
        Assert.Equal("application/problem+json", head.Header("Content-Type"));
        Assert.NotEqual("0", head.Header("Content-Length"));
        Assert.Equal("pong", next.BodyText);
    }

    [Fact]
    public async Task AResponseTransformReplacesTheProblemsOwnFields()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.Parse("""
            {
              "routes": [ { "id": "r", "match": { "path": "/r" }, "cluster": "main",
                            "transforms": { "response": { "set": { "Content-Type": "application/json" }, "remove": ["Cache-Control"] } } } ],
              "clusters": { "main": { "destinations": [ "http://127.0.0.1:1" ] } }
            }
            """));

        var response = await gateway.SendAsync("GET /r HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(502, response.Status);
        Assert.Equal(["application/json"], response.Values("Content-Type"));
        Assert.Empty(response.Values("Cache-Control"));
    }

    [Fact]
    public async Task AHandlersOwnFramingAndDateAreLeftToTheGateway()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.Parse(Limited));
        Install(gateway, new GatewayRoute("h", [], new FramingHandler(), null));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /h HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /h HTTP/1.1\r\nHost: a\r\n\r\n");
        var again = await connection.ReadResponseAsync();

        Assert.Equal(["5"], response.Values("Content-Length"));
        Assert.Empty(response.Values("Transfer-Encoding"));
        Assert.Single(response.Values("Date"));
        Assert.NotEqual("Thu, 01 Jan 1970 00:00:00 GMT", response.Header("Date"));
        Assert.Equal("kept", response.Header("X-Own"));
        Assert.Equal("hello", again.BodyText);
    }

    [Fact]
    public async Task AStepThatFailsGetsTheClientA500WhichTheStepsBeforeItSee()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.Parse(Limited));
        Install(gateway, new GatewayRoute("failing", [new Tagging("step", StepStage.IpFilter), new Failing()], new FramingHandler(), null));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
        var failed = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
        var again = await connection.ReadResponseAsync();

        Problem.AssertIs(500, failed);
        Assert.Equal("step saw 500", failed.Header("X-Step"));
        Assert.False(failed.ConnectionHas("close"));
        Assert.Equal(500, again.Status);
    }

    [Fact]
    public async Task AStepWatchingTheBodySeesTheGatewaysProblemsBody()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll($"http://127.0.0.1:{Ports.Free()}"));
        var watching = new Watching();
        Install(gateway, new GatewayRoute("w", [watching], new ForwardTarget(gateway.Server.Engine.Snapshot.Clusters["main"], null), null));

        var response = await gateway.SendAsync("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");

        Problem.AssertIs(502, response);
        var (body, complete) = await Wait.ForAsync(watching.Ended.Task, "the observer to hear the end");
        Assert.True(complete);
        Assert.Equal(response.Body, body);
    }

    [Fact]
    public async Task AClientsUnderscoreLookAlikeOfAFieldTheGatewaySetsIsRemovedToo()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "u", "match": { "path": "/users/{id}" }, "cluster": "main",
                            "transforms": { "request": { "set": { "X-User-Id": "{id}" } } } } ],
              "clusters": { "main": { "destinations": [ "{{upstream.Url}}" ] } }
            }
            """));

        await gateway.SendAsync("GET /users/7 HTTP/1.1\r\nHost: a\r\nX_User_Id: admin\r\nx-user_id: root\r\nX_Other: kept\r\n\r\n");

        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("7", seen.Header("X-User-Id"));
        Assert.Null(seen.Header("X_User_Id"));
        Assert.Null(seen.Header("x-user_id"));
        Assert.Equal("kept", seen.Header("X_Other"));
    }

    private static void Install(TestGateway gateway, GatewayRoute route)
    {
        var running = gateway.Server.Engine.Snapshot;
        gateway.Server.Engine.Install(new GatewaySnapshot(
            RouteTable<GatewayRoute>.Build([new RouteSpec<GatewayRoute>(route.Id, "/{*path}", [], [], 0, route)]), running.Clusters, running.RateLimits));
    }

    /// <summary>Answers "hello" with fields of its own, framing and Date among them, which the gateway must not repeat.</summary>
    private sealed class FramingHandler : IRouteHandler
    {
        public ValueTask HandleAsync(RequestContext context, IResponseSink response, CancellationToken cancellationToken)
        {
            var answer = context.Response;
            answer.Reset(200);
            answer.Fields.Add("Content-Length"u8, "99"u8);
            answer.Fields.Add("Transfer-Encoding"u8, "chunked"u8);
            answer.Fields.Add("Date"u8, "Thu, 01 Jan 1970 00:00:00 GMT"u8);
            answer.Fields.Add("X-Own"u8, "kept"u8);
            answer.Body = "hello"u8.ToArray();
            return response.SendAsync(answer);
        }
    }

    /// <summary>Fails as a step with a bug (or a token it cannot read) would.</summary>
    private sealed class Failing : RouteStep
    {
        public override StepStage Stage => StepStage.Authentication;

        public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context) => throw new FormatException("a malformed token");
    }
}
