using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>
/// Active checks against a real server on loopback: a destination turns unhealthy after the configured failed probes in a
/// row and healthy again after the configured passes; the probe asks for the health path after the base path and asks
/// to close its connection; the first probe goes out at once; a disposed cluster probes no more.
/// </summary>
public sealed class HealthProbeTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task FailedProbesInARowMakeADestinationUnhealthyAndPassesInARowHealthyAgain()
    {
        using var upstream = new LoopbackUpstream(UpstreamAnswer.Ok);
        var changes = new ConcurrentQueue<(DestinationState State, int Ok, int Unavailable)>();
        using var fleet = new ClusterUnderTest(
            [upstream.Url], settings: Probing(healthyAfter: 2, unhealthyAfter: 3),
            stateChanged: destination => changes.Enqueue((destination.Health.State, upstream.AnsweredOk, upstream.AnsweredUnavailable)));
        await Poll.UntilAsync(() => upstream.AnsweredOk >= 3, "three passing probes");
        Assert.Equal(DestinationState.Healthy, fleet[0].Health.State);

        // The changes are awaited as the cluster hears them (the state itself shows a moment before that).
        upstream.Answer = UpstreamAnswer.Unavailable;
        await Poll.UntilAsync(() => changes.Count == 1, "the destination to turn unhealthy");

        var down = Assert.Single(changes);
        Assert.Equal(DestinationState.Unhealthy, down.State);
        Assert.True(down.Unavailable >= 3, $"unhealthy after three failed probes, not {down.Unavailable}");

        var okBefore = upstream.AnsweredOk;
        upstream.Answer = UpstreamAnswer.Ok;
        await Poll.UntilAsync(() => changes.Count == 2, "the destination to turn healthy again");

        var up = changes.Last();
        Assert.Equal(DestinationState.Healthy, up.State);
        Assert.True(up.Ok - okBefore >= 2, $"healthy after two passing probes, not {up.Ok - okBefore}");
        Assert.Equal(DestinationState.Healthy, fleet[0].Health.State);
    }

    [Fact]
    public async Task TheProbeAsksForTheHealthPathAfterTheBasePathAndToClose()
    {
        using var upstream = new LoopbackUpstream(UpstreamAnswer.Ok);
        using var fleet = new ClusterUnderTest([upstream.Url + "/base/"], settings: Probing(healthyAfter: 1, unhealthyAfter: 1));

        await Poll.UntilAsync(() => upstream.Requests.Count > 0, "a probe");

        var lines = upstream.Requests.First().Split("\r\n");
        Assert.Equal("GET /base/healthz HTTP/1.1", lines[0]);
        Assert.Contains($"Host: 127.0.0.1:{upstream.Port}", lines);
        Assert.Contains(lines, line => line.Equals("Connection: close", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TheFirstProbeGoesOutAtOnceAndNoAnswerFailsIt()
    {
        // An hour between probes: only the first one can make these destinations unhealthy within the test.
        using var silent = new LoopbackUpstream(UpstreamAnswer.Silent);
        using var slow = new LoopbackUpstream(UpstreamAnswer.Hold);
        var refusing = RefusingUrl();
        var settings = Probing(healthyAfter: 1, unhealthyAfter: 1, interval: TimeSpan.FromHours(1), timeout: TimeSpan.FromMilliseconds(500));
        using var fleet = new ClusterUnderTest([silent.Url, slow.Url, refusing], settings: settings);

        await Poll.UntilAsync(
            () => fleet.Cluster.Destinations.All(destination => destination.Health.State == DestinationState.Unhealthy),
            "a closed connection, a late answer and a refused connection to fail their first probes");
    }

    [Fact]
    public async Task OnlyTheExpectedStatusesPass()
    {
        using var upstream = new LoopbackUpstream(UpstreamAnswer.Unavailable);
        var settings = Probing(healthyAfter: 1, unhealthyAfter: 1, expected: new StatusRange(500, 503));
        using var fleet = new ClusterUnderTest([upstream.Url], settings: settings);
        await Poll.UntilAsync(() => upstream.AnsweredUnavailable >= 3, "three probes answered 503");
        Assert.Equal(DestinationState.Healthy, fleet[0].Health.State);

        upstream.Answer = UpstreamAnswer.Ok;

        await Poll.UntilAsync(() => fleet[0].Health.State == DestinationState.Unhealthy, "a 200 outside 500-503 to fail the probe");
    }

    [Fact]
    public async Task ADisposedClusterProbesNoMore()
    {
        using var upstream = new LoopbackUpstream(UpstreamAnswer.Ok);
        var fleet = new ClusterUnderTest([upstream.Url], settings: Probing(healthyAfter: 1, unhealthyAfter: 1));
        await Poll.UntilAsync(() => upstream.Accepted >= 3, "three probes");

        fleet.Dispose();

        // Nothing happening can only be seen by waiting. A probe already under way may still land in the first second; in
        // the twenty intervals after it, none does.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var settled = upstream.Accepted;
        await Task.Delay(20 * Interval);
        Assert.Equal(settled, upstream.Accepted);
    }

    /// <summary>Active checks of /healthz (every <see cref="Interval"/>, 5 s to answer, 200-399 passing unless told otherwise) and no passive ones.</summary>
    private static ClusterSettings Probing(
        int healthyAfter, int unhealthyAfter, TimeSpan? interval = null, TimeSpan? timeout = null, StatusRange? expected = null) => new()
    {
        Outliers = ClusterUnderTest.NoOutliers,
        Probes = new HealthProbeSettings(
            "/healthz", interval ?? Interval, timeout ?? TimeSpan.FromSeconds(5), healthyAfter, unhealthyAfter, expected ?? new StatusRange(200, 399)),
    };

    /// <summary>A loopback URL where nothing listens (the port was just freed).</summary>
    private static string RefusingUrl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }
}
