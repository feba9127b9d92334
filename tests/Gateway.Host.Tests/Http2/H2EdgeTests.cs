using System.Net;
using System.Text.Json;
using Gateway.Core.Observability;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Http2;

/// <summary>
/// HTTP/2 connections meet the edge rules HTTP/1.1 ones do: the same connection caps (counted together), the same
/// connection metrics, graceful drain, and an access log line and <c>Via</c> that name HTTP/2.
/// </summary>
public sealed class H2EdgeTests
{
    [Fact]
    public async Task AnH2cConnectionOverTheClientCapIsRefusedCountedAndClosed()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(
            Configs.CatchAll(upstream.Url), s => s with { Transport = s.Transport with { MaxConnectionsPerClient = 1 } });
        using var first = H2cGateway.Client(gateway);
        using var served = await first.GetAsync("/first");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);

        await using var second = await RawHttp2.ConnectAsync(gateway.H2cEndPoint());
        var refused = await second.RequestAsync(1, RawHttp2.Pseudo("GET", "/second", gateway.H2cEndPoint()));

        // The refused connection gets GOAWAY at once; a request it opened before that is answered 503, as on HTTP/1.1.
        if (refused.Status != "reset")
        {
            Assert.Equal("503", refused.Status);
            Assert.Contains("client", refused.Body, StringComparison.Ordinal);
        }

        Assert.True(await second.WaitForCloseAsync(), "the gateway should close a refused connection");
        Assert.NotNull(second.GoAwayLastStream);
        var refusedOverHttp1 = await gateway.SendAsync("GET /third HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(503, refusedOverHttp1.Status);
        Assert.Equal(["/first"], upstream.Requests.Select(r => r.Target));
        var metrics = await new AdminClient(gateway.AdminEndPoint).MetricsAsync();
        Assert.Equal(2, MetricsText.Value(metrics, "gateway_connections_refused_total{limit=\"per_client\"}"));
    }

    [Fact]
    public async Task AnHttp1ConnectionCountsAgainstTheCapOfAnH2cOne()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(
            Configs.CatchAll(upstream.Url), s => s with { Transport = s.Transport with { MaxConnections = 1 } });
        await using var http1 = await gateway.ConnectAsync();
        await http1.SendAsync("GET /one HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await http1.ReadResponseAsync()).Status);

        var overHttp2 = await RawHttp2.GetAsync(gateway.H2cEndPoint(), "/two");

        Assert.True(overHttp2 is "503" or "reset", $"the connection over the total cap got {overHttp2}");
        Assert.Equal(["/one"], upstream.Requests.Select(r => r.Target));
        await http1.DisposeAsync();
        var next = await Wait.UntilAsync(
            async () => await RawHttp2.GetAsync(gateway.H2cEndPoint(), "/three") is "200" ? "served" : null,
            "room for an HTTP/2 connection once the HTTP/1.1 one closed");
        Assert.Equal("served", next);
    }

    [Fact]
    public async Task H2cConnectionsAreCountedInTheConnectionMetrics()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));
        var admin = new AdminClient(gateway.AdminEndPoint);
        await using (var connection = await RawHttp2.ConnectAsync(gateway.H2cEndPoint()))
        {
            Assert.Equal("200", (await connection.RequestAsync(1, RawHttp2.Pseudo("GET", "/a", gateway.H2cEndPoint()))).Status);
            Assert.Equal("200", (await connection.RequestAsync(3, RawHttp2.Pseudo("GET", "/b", gateway.H2cEndPoint()))).Status);
            var open = await admin.MetricsAsync();
            Assert.Equal(1, MetricsText.Value(open, "gateway_connections_open"));
            Assert.Equal(1, MetricsText.Value(open, "gateway_http2_connections_accepted_total"));
        }

        var text = await Wait.UntilAsync(
            async () => await admin.MetricsAsync() is var scraped && MetricsText.Value(scraped, "gateway_connections_closed_total") >= 1 ? scraped : null,
            "the HTTP/2 connection to be counted as closed");
        Assert.Equal(1, MetricsText.Value(text, "gateway_connections_accepted_total"));
        Assert.Equal(0, MetricsText.Value(text, "gateway_connections_open"));
        Assert.Equal(2, MetricsText.Value(text, "gateway_requests_total{route=\"all\",method=\"GET\",code=\"2xx\"}"));
    }

    [Fact]
    public async Task DrainSendsGoAwayFinishesTheOpenStreamAndClosesTheConnection()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await H2cGateway.StartAsync(Configs.CatchAll(upstream.Url));
        await using var idle = await RawHttp2.ConnectAsync(gateway.H2cEndPoint());
        Assert.Equal("200", (await idle.RequestAsync(1, RawHttp2.Pseudo("GET", "/warm", gateway.H2cEndPoint()))).Status);
        await using var busy = await RawHttp2.ConnectAsync(gateway.H2cEndPoint());
        await busy.SendHeadersAsync(1, RawHttp2.Pseudo("GET", "/hold", gateway.H2cEndPoint()), endStream: true);
        await Wait.UntilAsync(() => upstream.Holding == 1, "the upstream to be working on the in-flight request");

        var stopping = gateway.Server.StopAsync();

        Assert.True(await idle.WaitForCloseAsync(), "the idle HTTP/2 connection should be closed");
        Assert.Equal(1, idle.GoAwayLastStream);
        upstream.ReleaseHeld();
        var answer = await busy.ReadAnswerAsync(1);
        Assert.Equal("200", answer.Status);
        Assert.Equal("released", answer.Body);

        // Kestrel sends its last GOAWAY and closes when the client next sends a frame (clients close a GOAWAY'd connection themselves once
        // their streams are done), at the latest at the drain deadline.
        await busy.PingAsync();
        Assert.True(await busy.WaitForCloseAsync(), "the busy HTTP/2 connection should close once its stream is done");
        Assert.Equal(1, busy.GoAwayLastStream);
        await Wait.ForAsync(stopping, "the gateway to finish stopping");
    }

    [Fact]
    public async Task TheAccessLogAndViaNameHttp2()
    {
        using var log = new TempFile("gateway-e2e-access");
        await using var upstream = await RecordingUpstream.StartAsync();
        await using (var gateway = await H2cGateway.StartAsync(
            Configs.CatchAll(upstream.Url),
            s => s with { Observability = s.Observability with { AccessLog = new AccessLogSettings { Target = log.Path } } }))
        {
            using var client = H2cGateway.Client(gateway);
            using var response = await client.GetAsync("/logged");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("400", await RawHttp2.GetAsync(gateway.H2cEndPoint(), "/bad", ("keep-alive", "timeout=5")));
            Assert.Equal(200, (await gateway.SendAsync("GET /plain HTTP/1.1\r\nHost: a\r\n\r\n")).Status);
        }

        var entries = (await File.ReadAllLinesAsync(log.Path)).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(3, entries.Count);
        Assert.Equal("HTTP/2", Assert.Single(entries, e => e.GetProperty("path").GetString() == "/logged").GetProperty("protocol").GetString());
        Assert.Equal("HTTP/2", Assert.Single(entries, e => e.GetProperty("status").GetInt32() == 400).GetProperty("protocol").GetString());
        Assert.Equal("HTTP/1.1", Assert.Single(entries, e => e.GetProperty("path").GetString() == "/plain").GetProperty("protocol").GetString());
        Assert.Equal("2 gateway", upstream.Requests.Single(r => r.Target == "/logged").Header("Via"));
        Assert.Equal("1.1 gateway", upstream.Requests.Single(r => r.Target == "/plain").Header("Via"));
    }
}
