using System.Text.Json;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Reload;

/// <summary>
/// Hot reload: a changed file, or a POST to the admin listener, swaps in the new configuration; a refused one leaves the
/// running one serving, with the error on /config; pools and rate-limit state that did not change carry over.
/// </summary>
public sealed class ConfigReloadTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    [Fact]
    public async Task AChangedFileIsServedAndAnInvalidOneIsRefusedWhileTheRunningOneServes()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        using var file = new ConfigFile(Routes(upstream.Url, """{ "id": "a", "match": { "path": "/a" }, "cluster": "main" }"""));
        await using var gateway = await TestGateway.StartAsync(file.Source);
        var admin = new AdminClient(gateway.AdminEndPoint);
        var started = await admin.ConfigAsync();

        file.Replace(Routes(upstream.Url, """{ "id": "b", "match": { "path": "/b" }, "respond": { "status": 200, "body": "v2" } }"""));
        var b = await Wait.UntilAsync(async () => await Status(gateway, "/b") == 200 ? "served" : null, "the new route /b");
        Problem.AssertIs(404, await gateway.SendAsync("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
        var reloaded = await admin.ConfigAsync();

        file.Replace(Routes(upstream.Url, """{ "id": "c", "match": { "path": "/c" }, "cluster": "missing" }"""));
        var refused = await Wait.UntilAsync(
            async () => await admin.ConfigAsync() is var status && status.GetProperty("lastReload").GetProperty("result").GetString() == "rejected"
                ? status.GetRawText()
                : null,
            "the invalid file to be refused");

        Assert.Equal("served", b);
        Assert.Equal(JsonValueKind.Null, started.GetProperty("lastReload").ValueKind);
        Assert.Equal(file.Path, started.GetProperty("source").GetString());
        Assert.NotEqual(started.GetProperty("version").GetString(), reloaded.GetProperty("version").GetString());
        Assert.Equal("file", reloaded.GetProperty("lastReload").GetProperty("trigger").GetString());
        Assert.Equal("ok", reloaded.GetProperty("lastReload").GetProperty("result").GetString());
        var refusedStatus = JsonDocument.Parse(refused).RootElement;
        Assert.Equal(reloaded.GetProperty("version").GetString(), refusedStatus.GetProperty("version").GetString());
        var error = refusedStatus.GetProperty("lastReload").GetProperty("error").GetString();
        Assert.Equal($"{file.Path}: $.routes[0].cluster: unknown cluster \"missing\"; defined clusters: \"main\"", error);
        Assert.Equal(200, await Status(gateway, "/b"));
        var metrics = await admin.MetricsAsync();
        Assert.Equal(1, MetricsText.Value(metrics, "gateway_config_reloads_total{result=\"ok\"}"));
        Assert.Equal(1, MetricsText.Value(metrics, "gateway_config_reloads_total{result=\"rejected\"}"));
    }

    [Fact]
    public async Task AdminReloadAnswersTheStatusOrAProblemNamingTheError()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        using var file = new ConfigFile(Routes(upstream.Url, """{ "id": "a", "match": { "path": "/a" }, "cluster": "main" }"""));
        await using var gateway = await TestGateway.StartAsync(file.Source);
        var admin = new AdminClient(gateway.AdminEndPoint);
        var before = await admin.ConfigAsync();

        var unchanged = await admin.ReloadAsync();
        File.WriteAllText(file.Path, "{ \"routes\": [ { \"id\": \"a\", ");
        var broken = await admin.ReloadAsync();

        Assert.Equal(200, unchanged.Status);
        var status = JsonDocument.Parse(unchanged.Body).RootElement;
        Assert.Equal(before.GetProperty("version").GetString(), status.GetProperty("version").GetString());
        Assert.Equal("admin", status.GetProperty("lastReload").GetProperty("trigger").GetString());
        Assert.Equal("ok", status.GetProperty("lastReload").GetProperty("result").GetString());
        var detail = Problem.AssertBody(400, broken);
        Assert.Contains($"{file.Path}: $.routes[0]: invalid JSON", detail, StringComparison.Ordinal);
        Assert.Equal(200, await Status(gateway, "/a"));
    }

    [Fact]
    public async Task ChangingTheListenersIsRefusedUntilARestart()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        const string Route = """{ "id": "a", "match": { "path": "/a" }, "cluster": "main" }""";
        using var file = new ConfigFile(Routes(upstream.Url, Route, listen: "http://127.0.0.1:0"));
        await using var gateway = await TestGateway.StartAsync(file.Source, s => s with { Listen = null });
        var admin = new AdminClient(gateway.AdminEndPoint);

        File.WriteAllText(file.Path, Routes(upstream.Url, Route, listen: "http://127.0.0.1:1"));
        var refused = await admin.ReloadAsync();

        var detail = Problem.AssertBody(400, refused);
        Assert.Contains("$.listen: the listeners cannot change while the gateway runs; a restart applies them", detail, StringComparison.Ordinal);
        Assert.Equal(200, await Status(gateway, "/a"));
    }

    [Fact]
    public async Task UnchangedDestinationsKeepTheirConnectionsAndRemovedOnesAreClosed()
    {
        await using var kept = WireUpstream.Start(Ok);
        await using var removed = WireUpstream.Start(Ok);
        using var file = new ConfigFile($$"""
            {
              "routes": [ { "id": "k", "match": { "path": "/k" }, "cluster": "kept" }, { "id": "r", "match": { "path": "/r" }, "cluster": "removed" } ],
              "clusters": { "kept": { "destinations": [ "{{kept.Url}}" ] }, "removed": { "destinations": [ "{{removed.Url}}" ] } }
            }
            """);
        await using var gateway = await TestGateway.StartAsync(file.Source);
        Assert.Equal(200, await Status(gateway, "/k"));
        Assert.Equal(200, await Status(gateway, "/r"));

        File.WriteAllText(file.Path, $$"""
            {
              "routes": [ { "id": "k", "match": { "path": "/k" }, "cluster": "kept", "order": 1 } ],
              "clusters": { "kept": { "destinations": [ "{{kept.Url}}" ], "timeout": "10s" } }
            }
            """);
        Assert.Equal(200, (await new AdminClient(gateway.AdminEndPoint).ReloadAsync()).Status);
        Assert.Equal(200, await Status(gateway, "/k"));

        Assert.Equal(1, kept.Connections);
        await Wait.UntilAsync(() => removed.ClosedByGateway == 1, "the removed destination's idle connection to close");
    }

    [Fact]
    public async Task ARemovedDestinationsBusyConnectionClosesOnceItsRequestFinishes()
    {
        using var release = new ManualResetEventSlim();
        await using var removed = WireUpstream.Start(request =>
        {
            if (request.Head.StartsWith("GET /slow ", StringComparison.Ordinal))
            {
                release.Wait(Wait.Generous);
            }

            return new WireReply(Ok);
        });
        await using var other = WireUpstream.Start(Ok);
        using var file = new ConfigFile(Routes(removed.Url, """{ "id": "a", "match": { "path": "/{*rest}" }, "cluster": "main" }"""));
        await using var gateway = await TestGateway.StartAsync(file.Source);
        await using var connection = await gateway.ConnectAsync();
        await connection.SendAsync("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        await Wait.UntilAsync(() => removed.Connections == 1, "the slow request to reach its upstream");

        File.WriteAllText(file.Path, Routes(other.Url, """{ "id": "a", "match": { "path": "/{*rest}" }, "cluster": "main" }"""));
        Assert.Equal(200, (await new AdminClient(gateway.AdminEndPoint).ReloadAsync()).Status);
        Assert.Equal(0, removed.ClosedByGateway);
        release.Set();
        var slow = await connection.ReadResponseAsync();

        Assert.Equal(200, slow.Status);
        await Wait.UntilAsync(() => removed.ClosedByGateway == 1, "the finished request's connection to close");
        Assert.Equal(200, await Status(gateway, "/next"));
        Assert.Equal(1, other.Connections);
        Assert.Equal(1, removed.Connections);
    }

    [Fact]
    public async Task AnUnchangedRateLimitKeepsItsCountsAndAChangedOneStartsAfresh()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        using var file = new ConfigFile(Limited(upstream.Url, first: 2, second: 2));
        await using var gateway = await TestGateway.StartAsync(file.Source);
        var admin = new AdminClient(gateway.AdminEndPoint);
        Assert.Equal(200, await Status(gateway, "/one"));
        Assert.Equal(200, await Status(gateway, "/one"));
        Assert.Equal(200, await Status(gateway, "/two"));
        Assert.Equal(200, await Status(gateway, "/two"));

        File.WriteAllText(file.Path, Limited(upstream.Url, first: 2, second: 3));
        Assert.Equal(200, (await admin.ReloadAsync()).Status);

        Assert.Equal(429, await Status(gateway, "/one"));
        Assert.Equal(200, await Status(gateway, "/two"));
    }

    [Fact]
    public async Task AConfigMapStyleSymlinkSwapIsSeen()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        using var folder = new ConfigFile("{}");
        var root = Path.GetDirectoryName(folder.Path)!;
        var first = Directory.CreateDirectory(Path.Combine(root, "..2026_12_02_01"));
        File.WriteAllText(Path.Combine(first.FullName, "gateway.json"), Routes(upstream.Url, """{ "id": "a", "match": { "path": "/a" }, "cluster": "main" }"""));
        File.CreateSymbolicLink(Path.Combine(root, "..data"), first.Name);
        var linked = Path.Combine(root, "linked.json");
        File.CreateSymbolicLink(linked, Path.Combine("..data", "gateway.json"));
        await using var gateway = await TestGateway.StartAsync(Gateway.Core.Configuration.ConfigSource.From(linked, upstream: null, _ => null, []));
        Assert.Equal(200, await Status(gateway, "/a"));

        // Kubernetes writes the new version beside the old one, points a new link at it and renames that over ..data.
        var second = Directory.CreateDirectory(Path.Combine(root, "..2026_12_02_02"));
        File.WriteAllText(Path.Combine(second.FullName, "gateway.json"), Routes(upstream.Url, """{ "id": "b", "match": { "path": "/b" }, "cluster": "main" }"""));
        File.CreateSymbolicLink(Path.Combine(root, "..data_tmp"), second.Name);
        using (var rename = System.Diagnostics.Process.Start("mv", ["-Tf", Path.Combine(root, "..data_tmp"), Path.Combine(root, "..data")]))
        {
            await rename.WaitForExitAsync();
            Assert.Equal(0, rename.ExitCode);
        }

        await Wait.UntilAsync(async () => await Status(gateway, "/b") == 200 ? "served" : null, "the swapped-in route /b");
    }

    private static async Task<int> Status(TestGateway gateway, string path) =>
        (await gateway.SendAsync($"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n")).Status;

    private static string Routes(string upstream, string route, string? listen = null) => $$"""
        {
          {{(listen is null ? "" : $"\"listen\": [ \"{listen}\" ],")}}
          "routes": [ {{route}} ],
          "clusters": { "main": { "destinations": [ "{{upstream}}" ] } }
        }
        """;

    private static string Limited(string upstream, int first, int second) => $$"""
        {
          "routes": [
            { "id": "one", "match": { "path": "/one" }, "cluster": "main", "policies": { "rateLimit": ["first"] } },
            { "id": "two", "match": { "path": "/two" }, "cluster": "main", "policies": { "rateLimit": ["second"] } }
          ],
          "clusters": { "main": { "destinations": [ "{{upstream}}" ] } },
          "rateLimits": { "first": { "permits": {{first}}, "period": "1h" }, "second": { "permits": {{second}}, "period": "1h" } }
        }
        """;
}
