using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Resilience;

/// <summary>
/// Passive health checks on a slow destination: its timeouts eject it, it comes back once it is fast again, and however
/// many destinations are slow, no more of the cluster is ejected at once than its share allows.
/// </summary>
public sealed class SlowDestinationTests
{
    [Fact]
    public async Task ASlowDestinationIsEjectedThenReadmittedAndTheEjectionShareIsRespected()
    {
        await using var a = await SwitchableUpstream.StartAsync("a");
        await using var b = await SwitchableUpstream.StartAsync("b");
        await using var c = await SwitchableUpstream.StartAsync("c");
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "c",
                            "retry": { "attempts": 3, "perTryTimeout": "250ms", "backoff": "0ms" } } ],
              "clusters": { "c": {
                "destinations": ["{{a.Url}}", "{{b.Url}}", "{{c.Url}}"],
                "health": { "passive": { "consecutiveFailures": 2, "ejectionTime": "1s", "maxEjectedPercent": 34 } },
                "retryBudget": { "percent": 100 } } }
            }
            """));
        var admin = new AdminClient(gateway.AdminEndPoint);
        await using var load = SteadyLoad.Start(gateway.EndPoint, 4);

        b.Delay = TimeSpan.FromSeconds(5);
        await Wait.UntilAsync(async () => await StatesAsync(admin) is ["healthy", "ejected", "healthy"] ? "ejected" : null, "the slow destination to be ejected");

        // A second slow destination fails as often, but one of three is all the share allows to be ejected.
        c.Delay = TimeSpan.FromSeconds(5);
        for (var look = 0; look < 20; look++)
        {
            await load.AnswersAsync(10, "answers while two are slow");
            Assert.True((await StatesAsync(admin)).Count(state => state == "ejected") <= 1);
        }

        b.Delay = c.Delay = TimeSpan.Zero;
        await Wait.UntilAsync(async () => await StatesAsync(admin) is ["healthy", "healthy", "healthy"] ? "readmitted" : null, "every destination to be readmitted");
        var servedByB = load.ServedBy("b");
        await Wait.UntilAsync(() => load.ServedBy("b") > servedByB + 20, "the readmitted destination to serve again");
    }

    private static async Task<string[]> StatesAsync(AdminClient admin) =>
        [.. (await admin.ClustersAsync()).GetProperty("c").GetProperty("destinations").EnumerateArray().Select(d => d.GetProperty("state").GetString()!)];
}
