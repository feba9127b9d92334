using System.Text.Json;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Lifecycle;

/// <summary>GATEWAY_LOG_FORMAT: with <c>json</c> every line of stderr is one JSON object, while stdout still holds only access-log lines; another value is refused at start.</summary>
public sealed class GatewayLogFormatTests
{
    private static readonly string[] Levels = ["trace", "debug", "info", "warn", "error", "critical"];

    [Fact]
    public async Task UnderErrorsEveryStandardErrorLineIsJsonAndStandardOutputHoldsOnlyAccessLogLines()
    {
        using var run = await ErroringGateway.RunAsync(("GATEWAY_LOG_FORMAT", "json"), ("GATEWAY_CONFIG_WATCH", "false"));
        var gateway = run.Process;
        run.File.Replace("""{ "routes": [ { "id": "a", "match": { "path": "/a" }, "cluster": "gone" } ] }""");
        Assert.Equal(400, (await new AdminClient(ProcessTests.EndPointOf(run.Admin)).ReloadAsync()).Status);
        await gateway.TerminateAsync();
        Assert.Equal(0, await gateway.WaitForExitAsync());

        run.AssertStandardOutputHoldsOnlyTheAccessLog();
        var lines = gateway.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        foreach (var line in lines)
        {
            Assert.True(DateTimeOffset.TryParse(line.GetProperty("time").GetString(), out _), $"a time in {line}");
            Assert.Contains(line.GetProperty("level").GetString(), Levels);
            Assert.False(string.IsNullOrEmpty(line.GetProperty("message").GetString()), $"a message in {line}");
            Assert.False(line.TryGetProperty("exception", out _), $"no exception for an expected condition: {line}");
        }

        var events = lines.ConvertAll(line => line.GetProperty("event").GetString());
        // Redis is connected in the background, so its failure may be told before or after the gateway says it serves.
        Assert.Equal("serving", events.First(name => name != "redis.unreachable"));
        Assert.Contains("ratelimit.store_unavailable", events);
        var refusal = Assert.Single(lines, line => line.GetProperty("event").GetString() == "config.refused");
        Assert.Equal("admin", refusal.GetProperty("trigger").GetString());
        Assert.InRange(events.IndexOf("drain.start"), 1, events.IndexOf("drain.end") - 1);
    }

    [Fact]
    public async Task AnUnknownLogFormatIsRefusedAtStartWithExitCodeTwo()
    {
        using var gateway = GatewayProcess.Start(new Dictionary<string, string>
        {
            ["GATEWAY_UPSTREAM"] = "http://127.0.0.1:1",
            ["GATEWAY_LOG_FORMAT"] = "xml",
        });

        Assert.Equal(2, await gateway.WaitForExitAsync());
        var error = Assert.Single(gateway.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("gateway: invalid configuration: environment: GATEWAY_LOG_FORMAT: expected text or json, got \"xml\"", error);
        Assert.Equal("", gateway.StandardOutput);
    }
}
