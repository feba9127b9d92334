using System.Net;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Lifecycle;

/// <summary>The <c>gateway</c> binary itself: it refuses a bad configuration clearly, serves the GATEWAY_UPSTREAM quick start, reloads on SIGHUP, and exits cleanly on SIGTERM.</summary>
public sealed class ProcessTests
{
    /// <summary>A listen address whose port the process picks, so no test beside it can take the port first.</summary>
    private const string AnyPort = "http://127.0.0.1:0";

    [Theory]
    [InlineData("""{ "routes": [ { "id": "a", "match": { "path": "/a" }, "cluster": "missing" } ], "clusters": { "c": { "destinations": ["http://127.0.0.1:1"] } } }""",
        "$.routes[0].cluster", "unknown cluster \"missing\"")]
    [InlineData("""{ "routes": [ { "id": "a", "match": { "path": "/a" }, "cluster": "c" } ], "clusters": { "c": { "destinations": ["http://127.0.0.1:1"], "timeout": "soon" } } }""",
        "$.clusters.c.timeout", "expected a duration")]
    [InlineData("""{ "routes": [ { "id": "a", "match": { "path": "/a" }, "cluster": "c" ] }""",
        "$.routes[0]", "invalid JSON")]
    public async Task InvalidConfigurationExitsNonZeroNamingFilePathAndReason(string json, string jsonPath, string reason)
    {
        var file = Path.Combine(Path.GetTempPath(), $"gateway-e2e-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json);
        try
        {
            using var gateway = GatewayProcess.Start(new Dictionary<string, string>(), "--config", file);

            var exitCode = await gateway.WaitForExitAsync();

            Assert.NotEqual(0, exitCode);
            var error = gateway.StandardError;
            Assert.Contains(file, error, StringComparison.Ordinal);
            Assert.Contains(jsonPath, error, StringComparison.Ordinal);
            Assert.Contains(reason, error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task QuickStartServesRequestsAndSigtermExitsWithZero()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        using var gateway = GatewayProcess.Start(QuickStart(upstream.Url));
        var (listen, admin) = await gateway.ServingAsync();
        Assert.True(IsHealthy(admin), $"the gateway is not healthy: {gateway.StandardError}");

        await using (var connection = await RawConnection.OpenAsync(EndPointOf(listen)))
        {
            await connection.SendAsync("GET /from/process?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");
            var response = await connection.ReadResponseAsync();
            Assert.Equal(200, response.Status);
            Assert.Equal("upstream GET /from/process?x=1", response.BodyText);
        }

        await gateway.TerminateAsync();

        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.Equal("/from/process?x=1", Assert.Single(upstream.Requests).Target);
        Assert.DoesNotContain("Exception", gateway.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAConfigurationFileNoDirectoryIsWatched()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        using var gateway = GatewayProcess.Start(QuickStart(upstream.Url));
        await gateway.ServingAsync();

        // The host's default would watch the working directory and every directory under it for an appsettings.json.
        Assert.Equal(0, gateway.InotifyWatches);
    }

    [Fact]
    public async Task SigtermLetsTheRequestInFlightFinishThenExitsWithZero()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        var environment = QuickStart(upstream.Url);
        environment["GATEWAY_DRAIN_TIMEOUT"] = "30s";
        using var gateway = GatewayProcess.Start(environment);
        var (listen, admin) = await gateway.ServingAsync();
        Assert.True(IsHealthy(admin), $"the gateway is not healthy: {gateway.StandardError}");
        await using var connection = await RawConnection.OpenAsync(EndPointOf(listen));
        await connection.SendAsync("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n");
        await Wait.UntilAsync(() => upstream.Holding == 1, "the upstream to be working on the request");

        await gateway.TerminateAsync();
        await Wait.UntilAsync(() => Ports.Refuses(EndPointOf(listen)), "the stopping gateway to refuse new connections");
        Assert.False(gateway.HasExited, "the gateway should wait for the request in flight");
        upstream.ReleaseHeld();
        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal("released", response.BodyText);
        Assert.Equal(0, await gateway.WaitForExitAsync());
    }

    [Fact]
    public async Task SighupReloadsTheFileAndARefusedOneIsLoggedInOneLineOnStandardError()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        using var file = new ConfigFile($$"""
            { "routes": [ { "id": "a", "match": { "path": "/a" }, "cluster": "c" } ], "clusters": { "c": { "destinations": ["{{upstream.Url}}"] } } }
            """);
        using var gateway = GatewayProcess.Start(
            new Dictionary<string, string> { ["GATEWAY_LISTEN"] = AnyPort, ["GATEWAY_ADMIN_LISTEN"] = AnyPort }, "--config", file.Path);
        var (listen, admin) = await gateway.ServingAsync();
        Assert.True(IsHealthy(admin), $"the gateway is not healthy: {gateway.StandardError}");
        var adminClient = new AdminClient(EndPointOf(admin));

        await gateway.SignalAsync("HUP");
        try
        {
            await Wait.UntilAsync(
                async () => (await adminClient.ConfigAsync()).GetProperty("lastReload") is { ValueKind: System.Text.Json.JsonValueKind.Object } last
                    && last.GetProperty("trigger").GetString() == "SIGHUP" ? "reloaded" : null,
                "the SIGHUP reload");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} /config: {await adminClient.ConfigAsync()}; exited: {gateway.HasExited}; stderr: {gateway.StandardError}", ex);
        }
        File.WriteAllText(file.Path, """{ "routes": [ { "id": "a", "match": { "path": "/a" }, "cluster": "gone" } ] }""");
        await gateway.SignalAsync("HUP");
        await Wait.UntilAsync(() => gateway.StandardError.Contains("(SIGHUP) refused", StringComparison.Ordinal), "the refusal to be logged");

        // (The file watcher may refuse the same file too, in a line of its own.)
        var refusal = Assert.Single(gateway.StandardError.Split('\n'), line => line.Contains("(SIGHUP) refused", StringComparison.Ordinal));
        Assert.Contains($"{file.Path}: $.routes[0].cluster: unknown cluster \"gone\"", refusal, StringComparison.Ordinal);
        Assert.False(gateway.HasExited);
        await using var connection = await RawConnection.OpenAsync(EndPointOf(listen));
        await connection.SendAsync("GET /a HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await connection.ReadResponseAsync()).Status);
        Assert.DoesNotContain("refused", gateway.StandardOutput, StringComparison.Ordinal);
        await gateway.TerminateAsync();
        Assert.Equal(0, await gateway.WaitForExitAsync());
    }

    /// <summary>The endpoint of a listener URL such as <c>http://127.0.0.1:8080</c>.</summary>
    internal static IPEndPoint EndPointOf(string url)
    {
        var uri = new Uri(url);
        return new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
    }

    /// <summary>Whether the admin listener at <paramref name="admin"/> answers <c>/healthz</c> with 200.</summary>
    internal static bool IsHealthy(string admin)
    {
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, admin + "/healthz"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>The GATEWAY_UPSTREAM quick start to <paramref name="upstreamUrl"/>, both listeners on ports the process picks.</summary>
    internal static Dictionary<string, string> QuickStart(string upstreamUrl) => new()
    {
        ["GATEWAY_UPSTREAM"] = upstreamUrl,
        ["GATEWAY_LISTEN"] = AnyPort,
        ["GATEWAY_ADMIN_LISTEN"] = AnyPort,
    };
}
