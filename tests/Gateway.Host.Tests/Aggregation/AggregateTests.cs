using System.Text.Json;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Aggregation;

/// <summary>
/// Aggregate routes end to end against real upstream services: parts at once, a part waiting for another's field, values
/// encoded so they cannot reach another endpoint, optional and required failures, field allow-lists, merging at the top,
/// the overall timeout, the fields passed on and the size cap.
/// </summary>
public sealed class AggregateTests
{
    [Fact]
    public async Task IndependentPartsRunAtOnce()
    {
        await using var services = await JsonServices.StartAsync();
        await using var gateway = await StartAsync(services, """
            "parts": { "a": { "cluster": "svc", "path": "/barrier/a", "timeout": "10s" }, "b": { "cluster": "svc", "path": "/barrier/b", "timeout": "10s" } }
            """);

        var response = await gateway.SendAsync("GET /agg/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        // Each barrier answers only once both requests wait at it: one after the other, the first would time out.
        Assert.Equal(200, response.Status);
        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal("a", body.RootElement.GetProperty("a").GetProperty("name").GetString());
        Assert.Equal("b", body.RootElement.GetProperty("b").GetProperty("name").GetString());
    }

    [Fact]
    public async Task APartWaitsForTheFieldOfTheOneItUsesAndKeepsOnlyItsAllowedFields()
    {
        await using var services = await JsonServices.StartAsync();
        await using var gateway = await StartAsync(services, """
            "parts": {
              "user": { "cluster": "svc", "path": "/users/{id}" },
              "orders": { "cluster": "svc", "path": "/orders?user={id}" },
              "latest": { "cluster": "svc", "path": "/shipments/{orders.items[0].id}", "fields": ["status", "eta"] } }
            """);

        var response = await gateway.SendAsync("GET /agg/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal("application/json", response.Header("Content-Type"));
        Assert.Null(response.Header("X-Aggregate-Missing"));
        using var body = JsonDocument.Parse(response.Body);
        var root = body.RootElement;
        Assert.Equal("Ada", root.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal(2, root.GetProperty("orders").GetProperty("items").GetArrayLength());
        Assert.Equal("""{"status":"shipped","eta":"2026-12-03"}""", root.GetProperty("latest").GetRawText());
        Assert.False(root.TryGetProperty("errors", out _));
        var targets = services.Targets.ToList();
        Assert.True(targets.IndexOf("/orders?user=7") < targets.IndexOf("/shipments/o-1"));
    }

    [Fact]
    public async Task ValuesAreEncodedAsOneSegmentOrOneQueryValue()
    {
        await using var services = await JsonServices.StartAsync();
        await using var gateway = await StartAsync(services, """
            "parts": {
              "source": { "cluster": "svc", "path": "/evil" },
              "echo": { "cluster": "svc", "path": "/echo/{source.next}/{id}?q={query.q}" } }
            """);

        var response = await gateway.SendAsync("GET /agg/caf%C3%A9?q=1%26admin%3Dtrue&q=2 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal("/echo/..%2Fadmin/caf%C3%A9?q=1%26admin%3Dtrue", body.RootElement.GetProperty("echo").GetProperty("target").GetString());
    }

    [Fact]
    public async Task OptionalPartsThatFailOrTimeOutAreLeftOutAndListedWithTheirDependents()
    {
        await using var services = await JsonServices.StartAsync();
        await using var gateway = await StartAsync(services, """
            "parts": {
              "user": { "cluster": "svc", "path": "/users/{id}" },
              "broken": { "cluster": "svc", "path": "/status/500", "optional": true },
              "slow": { "cluster": "svc", "path": "/hang", "optional": true, "timeout": "300ms" },
              "text": { "cluster": "svc", "path": "/text", "optional": true },
              "after": { "cluster": "svc", "path": "/shipments/{broken.code}", "optional": true } }
            """);

        var response = await gateway.SendAsync("GET /agg/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal("broken,slow,text,after", response.Header("X-Aggregate-Missing"));
        using var body = JsonDocument.Parse(response.Body);
        var root = body.RootElement;
        Assert.Equal("Ada", root.GetProperty("user").GetProperty("name").GetString());
        Assert.False(root.TryGetProperty("broken", out _));
        var errors = root.GetProperty("errors").EnumerateArray().ToDictionary(e => e.GetProperty("part").GetString()!, e => e.GetProperty("status").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["broken"] = 500, ["slow"] = 504, ["text"] = 502, ["after"] = 424 }, errors);
    }

    [Fact]
    public async Task ARequiredPartThatFailsMakesTheAnswerA502NamingIt()
    {
        await using var services = await JsonServices.StartAsync();
        await using var gateway = await StartAsync(services, """
            "parts": { "user": { "cluster": "svc", "path": "/users/{id}" }, "orders": { "cluster": "svc", "path": "/status/503" } }
            """);

        var response = await gateway.SendAsync("GET /agg/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal("The required part \"orders\" failed: the upstream answered 503.", Problem.AssertIs(502, response));
    }

    [Fact]
    public async Task MergingAtTheTopPutsThePartsMembersInOneObjectFirstComeFirstKept()
    {
        await using var services = await JsonServices.StartAsync();
        await using var gateway = await StartAsync(services, """
            "merge": "top",
            "parts": { "user": { "cluster": "svc", "path": "/users/{id}" }, "shipment": { "cluster": "svc", "path": "/shipments/s-9", "fields": ["id", "status"] } }
            """);

        var response = await gateway.SendAsync("GET /agg/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal("""{"id":"7","name":"Ada","status":"shipped"}""", response.BodyText);
    }

    [Fact]
    public async Task TheOverallTimeoutCutsOffLatePartsA504WhenOneIsRequired()
    {
        await using var services = await JsonServices.StartAsync();
        await using var optional = await StartAsync(services, """
            "timeout": "300ms",
            "parts": { "user": { "cluster": "svc", "path": "/users/{id}" }, "slow": { "cluster": "svc", "path": "/hang", "optional": true } }
            """);
        await using var required = await StartAsync(services, """
            "timeout": "300ms",
            "parts": { "user": { "cluster": "svc", "path": "/users/{id}" }, "slow": { "cluster": "svc", "path": "/hang" } }
            """);

        var partial = await optional.SendAsync("GET /agg/7 HTTP/1.1\r\nHost: a\r\n\r\n");
        var timedOut = await required.SendAsync("GET /agg/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, partial.Status);
        Assert.Equal("slow", partial.Header("X-Aggregate-Missing"));
        Assert.Contains("\"status\":504", partial.BodyText, StringComparison.Ordinal);
        Assert.Contains("part \"slow\" did not answer in time", Problem.AssertIs(504, timedOut), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartsPassOnAcceptLanguageByDefaultAndOnlyTheFieldsTheyName()
    {
        await using var services = await JsonServices.StartAsync();
        await using var gateway = await StartAsync(services, """
            "parts": {
              "plain": { "cluster": "svc", "path": "/echo/plain" },
              "named": { "cluster": "svc", "path": "/echo/named", "headers": ["X-Custom"] } }
            """);

        var response = await gateway.SendAsync("GET /agg/7 HTTP/1.1\r\nHost: a\r\nAccept-Language: fr\r\nX-Custom: yes\r\n\r\n");

        using var body = JsonDocument.Parse(response.Body);
        var plain = body.RootElement.GetProperty("plain");
        var named = body.RootElement.GetProperty("named");
        Assert.Equal(("fr", ""), (plain.GetProperty("acceptLanguage").GetString(), plain.GetProperty("custom").GetString()));
        Assert.Equal(("", "yes"), (named.GetProperty("acceptLanguage").GetString(), named.GetProperty("custom").GetString()));
    }

    [Fact]
    public async Task AnAnswerLargerThanItsPartAllowsFailsThePart()
    {
        await using var services = await JsonServices.StartAsync();
        await using var gateway = await StartAsync(services, """
            "parts": { "big": { "cluster": "svc", "path": "/big", "maxBytes": 1024, "optional": true } }
            """);

        var response = await gateway.SendAsync("GET /agg/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal("big", response.Header("X-Aggregate-Missing"));
        Assert.Contains("larger than 1024 bytes", response.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APartFailsOverToAnotherDestinationWhenOneCannotBeReached()
    {
        await using var services = await JsonServices.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "agg", "match": { "path": "/agg/{id}" }, "aggregate": { "parts": { "user": { "cluster": "svc", "path": "/users/{id}" } } } } ],
              "clusters": { "svc": { "destinations": ["http://127.0.0.1:{{Ports.Free()}}", "{{services.Url}}"], "loadBalancing": "First" } }
            }
            """));

        var response = await gateway.SendAsync("GET /agg/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Contains("\"name\":\"Ada\"", response.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APartIsRetriedAsItsRetrySays()
    {
        await using var services = await JsonServices.StartAsync();
        await using var gateway = await StartAsync(services, """
            "parts": { "flaky": { "cluster": "svc", "path": "/flaky", "retry": { "attempts": 2, "on": ["503"] } } }
            """);

        var response = await gateway.SendAsync("GET /agg/7 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal("""{"flaky":{"ok":true}}""", response.BodyText);
        Assert.Equal(2, services.Targets.Count(target => target == "/flaky"));
    }

    [Fact]
    public async Task APartSurvivesAReusedConnectionTheUpstreamResets()
    {
        const string Ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}";
        var replies = 0;
        await using var upstream = WireUpstream.Start(_ => Interlocked.Increment(ref replies) == 2 ? new WireReply("", Reset: true) : new WireReply(Ok));
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "agg", "match": { "path": "/agg/{id}" }, "aggregate": { "parts": { "p": { "cluster": "svc", "path": "/p" } } } } ],
              "clusters": { "svc": { "destinations": ["{{upstream.Url}}"] } }
            }
            """));
        var admin = new AdminClient(gateway.AdminEndPoint);

        var first = await gateway.SendAsync("GET /agg/1 HTTP/1.1\r\nHost: a\r\n\r\n");
        await Wait.UntilAsync(async () => (await admin.DestinationAsync("svc", upstream.Url)).GetProperty("inFlight").GetInt32() == 0 ? "" : null, "the exchange to end");
        var second = await gateway.SendAsync("GET /agg/2 HTTP/1.1\r\nHost: a\r\n\r\n");

        // The reset connection was reused: nothing came back on it, so the part is sent once more on a new one.
        Assert.Equal(["{\"p\":{\"ok\":true}}", "{\"p\":{\"ok\":true}}"], [first.BodyText, second.BodyText]);
        Assert.Equal(2, upstream.Connections);
    }

    private static Task<TestGateway> StartAsync(JsonServices services, string aggregate) => TestGateway.StartAsync(Configs.Parse($$"""
        {
          "routes": [ { "id": "agg", "match": { "path": "/agg/{id}" }, "aggregate": { {{aggregate}} } } ],
          "clusters": { "svc": { "destinations": ["{{services.Url}}"] } }
        }
        """));
}
