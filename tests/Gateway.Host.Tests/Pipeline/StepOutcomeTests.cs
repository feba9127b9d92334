using System.Text;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;
using Gateway.Core.Routing;
using Gateway.Core.Snapshots;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Pipeline;

/// <summary>
/// What a route step may do, end to end through the front and the forwarder: go on, answer with a body, edit the fields the
/// upstream gets, and see every response on its way back (last step first, a later step's refusal included) with its body as it
/// passes; and route handlers that answer whole or streamed.
/// </summary>
public sealed class StepOutcomeTests
{
    [Fact]
    public async Task AStepThatGoesOnLetsTheRequestReachTheUpstreamAndSeesItsResponse()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream, new Tagging("outer", StepStage.IpFilter), new Tagging("inner", StepStage.RateLimit));

        var response = await gateway.SendAsync("GET /users/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal("upstream GET /users/7", response.BodyText);
        Assert.Equal(["inner saw 200", "outer saw 200"], response.Values("X-Step"));
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task AStepThatAnswersEndsTheRequestAndTheStepsBeforeItSeeItsAnswer()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        var after = new Tagging("after", StepStage.CacheLookup);
        await using var gateway = await StartAsync(upstream, new Tagging("outer", StepStage.IpFilter), new Teapot(), after);

        var response = await gateway.SendAsync("GET /users/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(418, response.Status);
        Assert.Equal("short and stout", response.BodyText);
        Assert.Equal("text/plain", response.Header("Content-Type"));
        Assert.Equal("15", response.Header("Content-Length"));
        Assert.NotNull(response.Header("X-Request-Id"));
        Assert.Equal(["teapot saw 418", "outer saw 418"], response.Values("X-Step"));
        Assert.Equal(0, after.Requests);
        Assert.Equal(0, upstream.Arrivals);
    }

    [Fact]
    public async Task AStepEditsTheFieldsTheUpstreamGets()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream, new Editing());

        await gateway.SendAsync("GET /users/7 HTTP/1.1\r\nHost: a\r\nX-Secret: s3cret\r\nX-Caller: client\r\n\r\n");

        var seen = Assert.Single(upstream.Requests);
        Assert.Null(seen.Header("X-Secret"));
        Assert.Equal("gateway", seen.Header("X-Caller"));
        Assert.Equal("10.0.0.7", seen.Header("X-Added"));
    }

    [Theory]
    [InlineData("/bytes/100000", "ContentLength")]
    [InlineData("/stream/70000", "Chunked")]
    public async Task AStepSeesTheResponseBodyAsItPasses(string path, string framing)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        var watching = new Watching();
        await using var gateway = await StartAsync(upstream, watching);

        var response = await gateway.SendAsync($"GET {path} HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(framing, response.Framing.ToString());
        var (body, complete) = await Wait.ForAsync(watching.Ended.Task, "the observer to see the end");
        Assert.True(complete);
        Assert.Equal(response.Body, body);
    }

    [Fact]
    public async Task AStepSeesTheGatewaysOwnErrorsToo()
    {
        var deadPort = Ports.Free();
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll($"http://127.0.0.1:{deadPort}"));
        Install(gateway, "/{*path}", new Tagging("outer", StepStage.IpFilter));

        var response = await gateway.SendAsync("GET /users/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        Problem.AssertIs(502, response);
        Assert.Equal(["outer saw 502"], response.Values("X-Step"));
    }

    [Fact]
    public async Task AHandlerAnswersWholeOrStreamed()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var routes = RouteTable<GatewayRoute>.Build([
            new("whole", "/whole", [], [], 0, new GatewayRoute("whole", [new Tagging("outer", StepStage.IpFilter)], new Pieces(stream: false), null)),
            new("streamed", "/streamed", [], [], 0, new GatewayRoute("streamed", [new Tagging("outer", StepStage.IpFilter)], new Pieces(stream: true), null)),
        ]);
        var running = gateway.Server.Engine.Snapshot;
        gateway.Server.Engine.Install(new GatewaySnapshot(routes, running.Clusters, running.RateLimits));
        await using var connection = await gateway.ConnectAsync();

        await connection.SendAsync("GET /whole HTTP/1.1\r\nHost: a\r\n\r\n");
        var whole = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /streamed HTTP/1.1\r\nHost: a\r\n\r\n");
        var streamed = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /streamed HTTP/1.0\r\n\r\n");
        var untilClose = await connection.ReadResponseAsync();

        Assert.Equal(("one two three", BodyFraming.ContentLength), (whole.BodyText, whole.Framing));
        Assert.Equal(("one two three", BodyFraming.Chunked, 3), (streamed.BodyText, streamed.Framing, streamed.Chunks));
        Assert.Equal(("one two three", BodyFraming.Close), (untilClose.BodyText, untilClose.Framing));
        Assert.All([whole, streamed, untilClose], r => Assert.Equal(["outer saw 200"], r.Values("X-Step")));
        Assert.All([whole, streamed, untilClose], r => Assert.Equal("pieces", r.Header("X-Handler")));
        Assert.Equal(0, upstream.Arrivals);
    }

    [Fact]
    public async Task APreflightIsRoutedAsTheMethodItAsksAboutToARouteWhoseCorsStepAnswersIt()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var running = gateway.Server.Engine.Snapshot;
        var forward = new ForwardTarget(running.Clusters["main"], rewrite: null);
        gateway.Server.Engine.Install(new GatewaySnapshot(
            RouteTable<GatewayRoute>.Build([
                new("cors", "/cors/{id}", ["PUT"], [], 0, new GatewayRoute("cors", [new AnsweringPreflights()], forward, null)),
                new("plain", "/plain/{id}", ["PUT"], [], 0, new GatewayRoute("plain", [], forward, null)),
            ]),
            running.Clusters,
            running.RateLimits));

        var answered = await gateway.SendAsync("OPTIONS /cors/7 HTTP/1.1\r\nHost: a\r\nOrigin: https://app.example\r\nAccess-Control-Request-Method: PUT\r\n\r\n");
        var withoutOrigin = await gateway.SendAsync("OPTIONS /cors/7 HTTP/1.1\r\nHost: a\r\nAccess-Control-Request-Method: PUT\r\n\r\n");
        var noCors = await gateway.SendAsync("OPTIONS /plain/7 HTTP/1.1\r\nHost: a\r\nOrigin: https://app.example\r\nAccess-Control-Request-Method: PUT\r\n\r\n");

        Assert.Equal(204, answered.Status);
        Assert.Equal("PUT", answered.Header("Access-Control-Allow-Methods"));
        Problem.AssertIs(405, withoutOrigin);
        Problem.AssertIs(405, noCors);
        Assert.Equal(0, upstream.Arrivals);
    }

    /// <summary>A gateway forwarding <c>/{*path}</c> to <paramref name="upstream"/> through <paramref name="steps"/>.</summary>
    private static async Task<TestGateway> StartAsync(RecordingUpstream upstream, params RouteStep[] steps)
    {
        var gateway = await TestGateway.StartAsync(Configs.CatchAll(upstream.Url));
        Install(gateway, "/{*path}", steps);
        return gateway;
    }

    /// <summary>Installs a snapshot whose one route forwards <paramref name="path"/> to the running cluster through <paramref name="steps"/>.</summary>
    private static void Install(TestGateway gateway, string path, params RouteStep[] steps)
    {
        var running = gateway.Server.Engine.Snapshot;
        var route = new GatewayRoute("stepped", steps, new ForwardTarget(running.Clusters["main"], rewrite: null), metrics: null);
        gateway.Server.Engine.Install(new GatewaySnapshot(
            RouteTable<GatewayRoute>.Build([new RouteSpec<GatewayRoute>("stepped", path, [], [], 0, route)]), running.Clusters, running.RateLimits));
    }

    /// <summary>Answers every request itself with a 418 and a body.</summary>
    private sealed class Teapot : RouteStep
    {
        private static readonly GatewayResponse Answer = CreateAnswer();

        public override StepStage Stage => StepStage.Authentication;

        public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context) => ValueTask.FromResult(StepOutcome.Respond(Answer));

        public override IResponseBodyObserver? OnResponse(RequestContext context, int status, IFieldList fields)
        {
            context.ResponseFields.Added.Add("X-Step"u8, $"teapot saw {status}");
            return null;
        }

        private static GatewayResponse CreateAnswer()
        {
            var answer = new GatewayResponse { Status = 418, Body = "short and stout"u8.ToArray() };
            answer.Fields.Add("Content-Type"u8, "text/plain"u8);
            return answer;
        }
    }

    /// <summary>Removes X-Secret, replaces X-Caller and adds X-Added (the client address) toward the upstream.</summary>
    private sealed class Editing : RouteStep
    {
        public override StepStage Stage => StepStage.Authentication;

        public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context)
        {
            context.UpstreamFields.Remove("X-Secret"u8.ToArray());
            context.UpstreamFields.Set("X-Caller"u8.ToArray(), "gateway"u8);
            context.UpstreamFields.Added.Add("X-Added"u8, "10.0.0.7"u8);
            return ValueTask.FromResult(StepOutcome.Continue);
        }
    }

    /// <summary>A CORS step as far as preflights go: answers them with the method asked about.</summary>
    private sealed class AnsweringPreflights : RouteStep
    {
        public override StepStage Stage => StepStage.Cors;

        public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context)
        {
            if (!context.Head.IsPreflight)
            {
                return ValueTask.FromResult(StepOutcome.Continue);
            }

            var answer = context.Response;
            answer.Reset(204);
            answer.Fields.Add("Access-Control-Allow-Methods"u8, context.Head.PreflightMethodBytes);
            return ValueTask.FromResult(StepOutcome.Respond(answer));
        }
    }

    /// <summary>Answers "one two three": whole from memory, or streamed in three pieces.</summary>
    private sealed class Pieces(bool stream) : IRouteHandler
    {
        private static readonly string[] Words = ["one", " two", " three"];

        public async ValueTask HandleAsync(RequestContext context, IResponseSink response, CancellationToken cancellationToken)
        {
            if (!stream)
            {
                var whole = context.Response;
                whole.Reset(200);
                whole.Fields.Add("X-Handler"u8, "pieces"u8);
                whole.Body = Encoding.ASCII.GetBytes(string.Concat(Words));
                await response.SendAsync(whole);
                return;
            }

            var fields = new FieldList();
            fields.Add("X-Handler"u8, "pieces"u8);
            response.StartStream(200, fields, length: -1);
            foreach (var word in Words)
            {
                await response.WriteAsync(Encoding.ASCII.GetBytes(word), cancellationToken);
            }
        }
    }
}
