using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Resilience;

/// <summary>
/// One of two destinations, each a real process, killed under steady load of idempotent requests: with retries and health
/// checks no request fails, the dead one is marked and gets no traffic, and once back it is readmitted and used again;
/// with no configuration at all only requests in flight to it may fail, and no client connection is closed by a 502.
/// </summary>
public sealed class KilledDestinationTests
{
    private const int Clients = 8;

    [Fact]
    public async Task WithRetriesAndHealthChecksNoRequestFailsAndTheDeadOneIsLeftAloneUntilItIsBack()
    {
        using var one = await UpstreamProcess.StartAsync("one");
        using var two = await UpstreamProcess.StartAsync("two");

        // When one of two destinations dies, the requests in flight to it (about half of all, plus any that picked it before
        // it was marked) fail at the same moment and are retried together: the budget must let them all retry.
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "c", "retry": { "attempts": 3 } } ],
              "clusters": { "c": {
                "destinations": ["{{one.Url}}", "{{two.Url}}"],
                "health": {
                  "active": { "path": "/healthz", "interval": "200ms", "timeout": "1s", "healthyAfter": 1, "unhealthyAfter": 1 },
                  "passive": { "consecutiveFailures": 1, "ejectionTime": "1s", "maxEjectedPercent": 50 } },
                "retryBudget": { "percent": 100 } } }
            }
            """));
        var admin = new AdminClient(gateway.AdminEndPoint);
        await using var load = SteadyLoad.Start(gateway.EndPoint, Clients);
        await Wait.UntilAsync(() => load.ServedBy("one") > 50 && load.ServedBy("two") > 50, "both destinations to serve");

        await two.KillAsync();
        await Wait.UntilAsync(async () => await StateAsync(admin, two.Url) == "unhealthy" ? "marked" : null, "the killed destination to be marked unhealthy");
        var triedBefore = (await admin.DestinationAsync("c", two.Url)).GetProperty("requests").GetInt64();
        await load.AnswersAsync(500, "more answers while it is down");
        var triedAfter = (await admin.DestinationAsync("c", two.Url)).GetProperty("requests").GetInt64();
        var servedBeforeReturn = load.ServedBy("two");

        await two.StartAgainAsync();
        await Wait.UntilAsync(async () => await StateAsync(admin, two.Url) == "healthy" ? "readmitted" : null, "the destination to be readmitted");
        await Wait.UntilAsync(() => load.ServedBy("two") > servedBeforeReturn + 50, "traffic to reach it again");

        Assert.True(load.Failures.Count == 0, string.Join("\n", load.Failures));
        Assert.Equal(triedBefore, triedAfter);
    }

    [Fact]
    public async Task WithoutConfigurationOnlyRequestsInFlightMayFailAndNoConnectionIsClosed()
    {
        using var one = await UpstreamProcess.StartAsync("one");
        using var two = await UpstreamProcess.StartAsync("two");
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "c" } ],
              "clusters": { "c": { "destinations": ["{{one.Url}}", "{{two.Url}}"] } }
            }
            """));
        await using var load = SteadyLoad.Start(gateway.EndPoint, Clients);
        await Wait.UntilAsync(() => load.ServedBy("one") > 50 && load.ServedBy("two") > 50, "both destinations to serve");

        await two.KillAsync();
        await load.AnswersAsync(2000, "answers while it is down");

        // Each client has one request in flight at a time: at most that many were in flight to the killed destination.
        Assert.True(load.Failures.Count <= Clients, string.Join("\n", load.Failures));
        Assert.DoesNotContain(load.Failures, failure => failure.Contains("closed", StringComparison.Ordinal) || failure.Contains("Exception", StringComparison.Ordinal));
    }

    private static async Task<string?> StateAsync(AdminClient admin, string url) =>
        (await admin.DestinationAsync("c", url)).GetProperty("state").GetString();
}
