using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Reload;

/// <summary>
/// Reloads while clients keep their connections busy: routes added, changed and removed, a cluster's destinations changed,
/// and an invalid file refused, without one failed request or one dropped connection, and with the unchanged rate limit
/// counting on across every reload.
/// </summary>
public sealed partial class ReloadUnderLoadTests
{
    private const int Clients = 8;
    private const int Permits = 1_000_000;

    [Fact]
    public async Task ReloadsUnderSteadyLoadFailNoRequestAndDropNoConnection()
    {
        await using var one = await RecordingUpstream.StartAsync("one");
        await using var two = await RecordingUpstream.StartAsync("two");
        using var file = new ConfigFile(Config([one.Url], """
            { "id": "changed", "match": { "path": "/changed" }, "cluster": "main", "rewrite": { "path": "/v1/changed" } },
            { "id": "removed", "match": { "path": "/removed" }, "cluster": "main" }
            """));
        await using var gateway = await TestGateway.StartAsync(file.Source);
        var admin = new AdminClient(gateway.AdminEndPoint);
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        var remaining = new ConcurrentQueue<long>();
        var served = new ConcurrentDictionary<string, int>();
        var connections = new List<RawConnection>();
        for (var i = 0; i < Clients; i++)
        {
            connections.Add(await gateway.ConnectAsync());
        }

        var load = connections.Select((connection, client) => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                try
                {
                    await connection.SendAsync($"GET /steady/{client}/{n} HTTP/1.1\r\nHost: x\r\n\r\n");
                    var response = await connection.ReadResponseAsync();
                    if (response.Status != 200 || response.ConnectionHas("close"))
                    {
                        failures.Enqueue($"client {client} request {n}: {response.Status} {response.BodyText}");
                        return;
                    }

                    served.AddOrUpdate(response.Header("X-Upstream") ?? "?", 1, (_, count) => count + 1);
                    remaining.Enqueue(long.Parse(Remaining().Match(response.Header("RateLimit") ?? "").Groups[1].Value, CultureInfo.InvariantCulture));
                }
                catch (Exception ex) when (ex is IOException or TimeoutException or InvalidDataException or FormatException)
                {
                    failures.Enqueue($"client {client} request {n}: {ex.GetType().Name}: {ex.Message}");
                    return;
                }
            }
        })).ToList();

        // Routes added, changed and removed; the cluster gains a destination.
        await Wait.UntilAsync(() => remaining.Count >= 100, "traffic before the first reload");
        file.Replace(Config([one.Url, two.Url], """
            { "id": "changed", "match": { "path": "/changed" }, "cluster": "main", "rewrite": { "path": "/v2/changed" } },
            { "id": "added", "match": { "path": "/added" }, "respond": { "status": 200, "body": "added" } }
            """));
        await Wait.UntilAsync(async () => await SendAsync(gateway, "/added") is { Status: 200 } added ? added : null, "the added route");
        var removed = await SendAsync(gateway, "/removed");
        var changed = await SendAsync(gateway, "/changed");
        await Wait.UntilAsync(() => served.ContainsKey("two"), "steady traffic to reach the new destination");

        // An invalid file is refused while the traffic goes on.
        file.Replace(Config([one.Url, two.Url], """{ "id": "broken", "match": { "path": "/broken" }, "cluster": "nowhere" }"""));
        var refused = await Wait.UntilAsync(
            async () => (await admin.ConfigAsync()).GetProperty("lastReload") is var last && last.GetProperty("result").GetString() == "rejected"
                ? last.GetProperty("error").GetString()
                : null,
            "the invalid file to be refused");

        // And one more through the admin listener: back to one destination.
        file.Replace(Config([two.Url], ""));
        var again = await admin.ReloadAsync();
        var countBefore = remaining.Count;
        await Wait.UntilAsync(() => remaining.Count >= countBefore + 100, "traffic after the last reload");

        await stop.CancelAsync();
        await Wait.ForAsync(Task.WhenAll(load), "the clients to stop");
        Assert.Empty(failures);
        Assert.Equal(404, removed.Status);
        Assert.Matches("^(one|two) GET /v2/changed$", changed.BodyText);
        Assert.Contains("$.routes[1].cluster: unknown cluster \"nowhere\"", refused, StringComparison.Ordinal);
        Assert.Equal(200, again.Status);

        // Every connection is still open and served; the global budget counted every request, across every reload.
        foreach (var connection in connections)
        {
            await connection.SendAsync("GET /steady/last HTTP/1.1\r\nHost: x\r\n\r\n");
            var last = await connection.ReadResponseAsync();
            Assert.Equal(200, last.Status);
            Assert.Equal("two", last.Header("X-Upstream"));
            await connection.DisposeAsync();
        }

        // (The bucket refills one permit every 6 minutes: at most a couple during the test.)
        Assert.InRange(remaining.Min(), Permits - remaining.Count, Permits - remaining.Count + 2);
    }

    private static async Task<RawResponse> SendAsync(TestGateway gateway, string path) =>
        await gateway.SendAsync($"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");

    private static string Config(string[] destinations, string routes) => $$"""
        {
          "routes": [
            { "id": "steady", "match": { "path": "/steady/{*rest}" }, "cluster": "main", "policies": { "rateLimit": ["budget"] } }
            {{(routes.Length == 0 ? "" : "," + routes)}}
          ],
          "clusters": { "main": { "destinations": [ {{string.Join(", ", destinations.Select(d => $"\"{d}\""))}} ] } },
          "rateLimits": { "budget": { "permits": {{Permits}}, "period": "100000h", "key": "Global" } }
        }
        """;

    [GeneratedRegex(";r=([0-9]+);")]
    private static partial Regex Remaining();
}
