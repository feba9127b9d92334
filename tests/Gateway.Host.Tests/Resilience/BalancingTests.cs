using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Resilience;

/// <summary>
/// Balancing through the gateway: weights are honoured (exactly by round robin, within a stated tolerance at random), and
/// consistent hashing keeps each key on one destination and moves only the keys of a destination that leaves.
/// </summary>
public sealed class BalancingTests
{
    private static readonly string[] HashedNames = ["a", "b", "c", "d"];

    [Fact]
    public async Task RoundRobinGivesEachDestinationItsWeightExactly()
    {
        await using var light = await SwitchableUpstream.StartAsync("light");
        await using var heavy = await SwitchableUpstream.StartAsync("heavy");
        await using var gateway = await TestGateway.StartAsync(Weighted("RoundRobin", light.Url, heavy.Url));

        var served = await CountAsync(gateway, 400, n => $"GET /w/{n} HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(100, served.GetValueOrDefault("light"));
        Assert.Equal(300, served.GetValueOrDefault("heavy"));
    }

    [Fact]
    public async Task RandomGivesEachDestinationItsWeightWithinFivePoints()
    {
        await using var light = await SwitchableUpstream.StartAsync("light");
        await using var heavy = await SwitchableUpstream.StartAsync("heavy");
        await using var gateway = await TestGateway.StartAsync(Weighted("Random", light.Url, heavy.Url));

        var served = await CountAsync(gateway, 2000, n => $"GET /w/{n} HTTP/1.1\r\nHost: a\r\n\r\n");

        // 25% expected; over 2,000 requests one standard deviation is about 1 point.
        Assert.InRange(served.GetValueOrDefault("light") / 2000.0, 0.20, 0.30);
    }

    [Fact]
    public async Task AHashKeyStaysOnItsDestinationAndOnlyTheLeavingDestinationsKeysMove()
    {
        var upstreams = await Task.WhenAll(HashedNames.Select(SwitchableUpstream.StartAsync));
        try
        {
            using var file = new ConfigFile(Hashed(upstreams.Select(u => u.Url)));
            await using var gateway = await TestGateway.StartAsync(file.Source);
            const int Keys = 400;

            var before = await OwnersAsync(gateway, Keys);
            var again = await OwnersAsync(gateway, Keys);
            file.Replace(Hashed(upstreams.Where(u => u.Name != "d").Select(u => u.Url)));
            await Wait.UntilAsync(() => gateway.Server.Engine.Snapshot.Clusters["c"].Destinations.Length == 3, "the reload without d");
            var after = await OwnersAsync(gateway, Keys);

            Assert.Equal(before, again);
            var moved = Enumerable.Range(0, Keys).Where(key => before[key] != after[key]).ToList();
            Assert.All(moved, key => Assert.Equal("d", before[key]));
            Assert.Equal(before.Count(owner => owner == "d"), moved.Count);

            // A quarter of the keys on average; each destination's share is within a few points of it.
            Assert.InRange(moved.Count / (double)Keys, 0.10, 0.40);
        }
        finally
        {
            foreach (var upstream in upstreams)
            {
                await upstream.DisposeAsync();
            }
        }
    }

    private static async Task<string[]> OwnersAsync(TestGateway gateway, int keys)
    {
        await using var connection = await gateway.ConnectAsync();
        var owners = new string[keys];
        for (var key = 0; key < keys; key++)
        {
            await connection.SendAsync($"GET /h HTTP/1.1\r\nHost: a\r\nX-User: user-{key}\r\n\r\n");
            owners[key] = (await connection.ReadResponseAsync()).Header("X-Upstream") ?? "?";
        }

        return owners;
    }

    private static async Task<Dictionary<string, int>> CountAsync(TestGateway gateway, int requests, Func<int, string> request)
    {
        await using var connection = await gateway.ConnectAsync();
        var served = new Dictionary<string, int>();
        for (var n = 0; n < requests; n++)
        {
            await connection.SendAsync(request(n));
            var upstream = (await connection.ReadResponseAsync()).Header("X-Upstream") ?? "?";
            served[upstream] = served.GetValueOrDefault(upstream) + 1;
        }

        return served;
    }

    private static Gateway.Core.Configuration.GatewayConfig Weighted(string policy, string light, string heavy) => Configs.Parse($$"""
        {
          "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "c" } ],
          "clusters": { "c": { "destinations": ["{{light}}", { "url": "{{heavy}}", "weight": 3 }], "loadBalancing": "{{policy}}" } }
        }
        """);

    private static string Hashed(IEnumerable<string> destinations) => $$"""
        {
          "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "c" } ],
          "clusters": { "c": {
            "destinations": [{{string.Join(", ", destinations.Select(d => $"\"{d}\""))}}],
            "loadBalancing": { "policy": "ConsistentHash", "key": "Header", "header": "X-User" } } }
        }
        """;
}
