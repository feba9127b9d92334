using System.Text.Json;
using Gateway.Core.Observability;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Observability;

/// <summary>Each request leaves one access log line whose fields describe it as the client and the upstream saw it.</summary>
public sealed class AccessLogTests
{
    [Fact]
    public async Task LineCarriesTheRequestsFields()
    {
        using var log = new TempFile("gateway-e2e-access");
        var path = log.Path;
        await using var upstream = await RecordingUpstream.StartAsync();
        RawResponse response;
        await using (var gateway = await StartAsync(upstream.Url, new AccessLogSettings { Target = path }))
        {
            response = await gateway.SendAsync("POST /users/7?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
        }

        var line = Assert.Single(await File.ReadAllLinesAsync(path));
        var entry = JsonDocument.Parse(line).RootElement;
        Assert.Equal(response.Header("X-Request-Id"), entry.GetProperty("request_id").GetString());
        Assert.Equal(upstream.Requests[0].Header("traceparent")![3..35], entry.GetProperty("trace_id").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("client_ip").GetString());
        Assert.Equal("POST", entry.GetProperty("method").GetString());
        Assert.Equal("/users/7?x=1", entry.GetProperty("path").GetString());
        Assert.Equal("users", entry.GetProperty("route").GetString());
        Assert.Equal(response.Status, entry.GetProperty("status").GetInt32());
        Assert.Equal(upstream.Url, entry.GetProperty("upstream").GetString());
        Assert.True(entry.GetProperty("duration_ms").GetDouble() >= entry.GetProperty("upstream_ms").GetDouble());
        Assert.True(entry.GetProperty("bytes_in").GetInt64() > 5);
        Assert.True(entry.GetProperty("bytes_out").GetInt64() > 0);
    }

    [Fact]
    public async Task CommonLogFormatAndMalformedRequestsAreLoggedToo()
    {
        using var log = new TempFile("gateway-e2e-access");
        var path = log.Path;
        await using var upstream = await RecordingUpstream.StartAsync();
        await using (var gateway = await StartAsync(upstream.Url, new AccessLogSettings { Target = path, Format = AccessLogFormat.Common }))
        {
            await gateway.SendAsync("GET /users/1 HTTP/1.1\r\nHost: a\r\n\r\n");
            await gateway.SendAsync("GET /users/1 HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
        }

        // Each line is written when its request is finished, so the two may land in either order.
        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(2, lines.Length);
        Assert.Single(lines, l => System.Text.RegularExpressions.Regex.IsMatch(
            l, @"^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] ""GET /users/1 HTTP/1\.1"" 200 \d+$"));
        Assert.Single(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @" 400 \d+$"));
    }

    [Fact]
    public async Task ARefusedRequestHasARequestIdAndItsLineSaysWhatTheClientSent()
    {
        using var log = new TempFile("gateway-e2e-access");
        var path = log.Path;
        await using var upstream = await RecordingUpstream.StartAsync();
        RawResponse malformed;
        RawResponse unsupported;
        await using (var gateway = await StartAsync(upstream.Url, new AccessLogSettings { Target = path }))
        {
            malformed = await gateway.SendAsync("PUT /users/1 HTTP/1.0\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
            unsupported = await gateway.SendAsync("GET /users/1 HTTP/2.0\r\nHost: a\r\n\r\n");
        }

        Problem.AssertIs(400, malformed);
        Problem.AssertIs(505, unsupported);
        var entries = (await File.ReadAllLinesAsync(path)).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var refused = Assert.Single(entries, e => e.GetProperty("status").GetInt32() == 400);
        Assert.Matches("^[0-9a-f]{32}$", malformed.Header("X-Request-Id"));
        Assert.Equal(malformed.Header("X-Request-Id"), refused.GetProperty("request_id").GetString());
        Assert.Equal("PUT", refused.GetProperty("method").GetString());
        Assert.Equal("HTTP/1.0", refused.GetProperty("protocol").GetString());
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("path").ValueKind);
        Assert.Equal("127.0.0.1", refused.GetProperty("client_ip").GetString());
        var wrongVersion = Assert.Single(entries, e => e.GetProperty("status").GetInt32() == 505);
        Assert.Equal(unsupported.Header("X-Request-Id"), wrongVersion.GetProperty("request_id").GetString());
        Assert.Equal("GET", wrongVersion.GetProperty("method").GetString());
        Assert.Equal("HTTP/2.0", wrongVersion.GetProperty("protocol").GetString());
    }

    [Fact]
    public async Task BehindATrustedProxyTheLineNamesTheRealClient()
    {
        using var log = new TempFile("gateway-e2e-access");
        var path = log.Path;
        await using var upstream = await RecordingUpstream.StartAsync();
        await using (var gateway = await TestGateway.StartAsync(
            Configs.CatchAll(upstream.Url),
            s => s with
            {
                TrustedProxies = [System.Net.IPNetwork.Parse("127.0.0.0/8"), System.Net.IPNetwork.Parse("10.0.0.0/8")],
                Observability = s.Observability with { AccessLog = new AccessLogSettings { Target = path } },
            }))
        {
            await gateway.SendAsync("GET /a HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.51.100.1, 203.0.113.9\r\nX-Forwarded-For: 10.1.1.1\r\n\r\n");
        }

        var entry = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(path))).RootElement;
        Assert.Equal("203.0.113.9", entry.GetProperty("client_ip").GetString());
        Assert.Equal("198.51.100.1, 203.0.113.9, 10.1.1.1, 127.0.0.1", upstream.Requests[0].Header("X-Forwarded-For"));
    }

    private static Task<TestGateway> StartAsync(string upstream, AccessLogSettings log) => TestGateway.StartAsync(
        Configs.Parse($$"""
            { "routes": [ { "id": "users", "match": { "path": "/users/{id}" }, "cluster": "c" } ], "clusters": { "c": { "destinations": [ "{{upstream}}" ] } } }
            """),
        s => s with { Observability = s.Observability with { AccessLog = log } });
}
