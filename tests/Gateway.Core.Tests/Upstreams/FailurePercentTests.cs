using Gateway.Core.Upstreams;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>
/// Passive checks by share: a destination failing at least the configured share of a window's tries is ejected when the
/// window is judged, provided the window saw enough tries; destinations that fail less, or were tried too little, stay.
/// </summary>
public sealed class FailurePercentTests
{
    [Fact]
    public async Task ADestinationFailingTooLargeAShareIsEjectedAndTheOthersStay()
    {
        var outliers = new OutlierSettings(
            ConsecutiveFailures: 0, FailurePercent: 50, Window: TimeSpan.FromMilliseconds(200), MinRequests: 10,
            EjectionTime: TimeSpan.FromMinutes(10), MaxEjectedPercent: 100, FailureStatuses: [503]);
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1, 1], new RoundRobinPolicy(), outliers);

        // Destination 3 fails every try, but is tried too few times in all for any window to judge it.
        fleet.Fail(3, tries: 9);

        // Tries go on, in rounds of ten, until a window is judged: 0 fails 6 in 10, 1 fails 1 in 10, 2 never fails. Any ten
        // or more of 0's tries in a row hold at least half failures, and of 1's at most two, whatever the windows' bounds.
        bool TriedThenEjected()
        {
            for (var i = 0; i < 10; i++)
            {
                fleet.Cluster.Report(fleet[0], failed: i % 5 < 3);
                fleet.Cluster.Report(fleet[1], failed: i == 4);
                fleet.Cluster.Report(fleet[2], failed: false);
            }

            return fleet.Cluster.Ejections > 0;
        }

        await Poll.UntilAsync(TriedThenEjected, "the destination failing 60% of its tries to be ejected");

        Assert.Equal(DestinationState.Ejected, fleet[0].Health.State);
        Assert.Equal(DestinationState.Healthy, fleet[1].Health.State);
        Assert.Equal(DestinationState.Healthy, fleet[2].Health.State);
        Assert.Equal(DestinationState.Healthy, fleet[3].Health.State);
        Assert.Equal(1, fleet.Cluster.Ejections);
    }
}
