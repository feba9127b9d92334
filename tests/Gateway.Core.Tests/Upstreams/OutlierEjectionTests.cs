using Gateway.Core.Upstreams;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>
/// Passive checks: failures in a row eject a destination, a success in between starts the count again, never more than the
/// allowed share of the cluster is out at once, and only the configured failure statuses count.
/// </summary>
public sealed class OutlierEjectionTests
{
    private static readonly OutlierSettings FiveInARow =
        OutlierSettings.Default with { ConsecutiveFailures = 5, MaxEjectedPercent = 100, EjectionTime = TimeSpan.FromMinutes(10) };

    [Fact]
    public void FailuresInARowEjectAtTheConfiguredCount()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1], new RoundRobinPolicy(), FiveInARow);

        fleet.Fail(1, tries: 4);
        Assert.Equal(DestinationState.Healthy, fleet[1].Health.State);

        fleet.Fail(1);
        Assert.Equal(DestinationState.Ejected, fleet[1].Health.State);
        Assert.Equal(1, fleet[1].Health.TimesEjected);
        Assert.Equal(1, fleet.Cluster.Ejections);
        Assert.Equal(5, fleet[1].Health.Failures);
    }

    [Fact]
    public void ASuccessInBetweenStartsTheCountAgain()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1], new RoundRobinPolicy(), FiveInARow);

        fleet.Fail(0, tries: 4);
        fleet.Cluster.Report(fleet[0], failed: false);
        fleet.Fail(0, tries: 4);
        Assert.Equal(DestinationState.Healthy, fleet[0].Health.State);

        fleet.Fail(0);
        Assert.Equal(DestinationState.Ejected, fleet[0].Health.State);
        Assert.Equal(10, fleet[0].Health.Requests);
        Assert.Equal(9, fleet[0].Health.Failures);
    }

    [Fact]
    public void OnlyTheAllowedShareOfTheClusterIsEjectedEvenWhenAllFail()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1, 1], new RoundRobinPolicy(), FiveInARow with { MaxEjectedPercent = 25 });

        for (var i = 0; i < 4; i++)
        {
            fleet.Fail(i, tries: 5);
        }

        Assert.Equal(
            [DestinationState.Ejected, DestinationState.Healthy, DestinationState.Healthy, DestinationState.Healthy],
            Enumerable.Range(0, 4).Select(i => fleet[i].Health.State));
        Assert.Equal(1, fleet.Cluster.Ejections);
    }

    [Fact]
    public void HalfOfTheClusterMayGoWhenHalfIsAllowed()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1, 1], new RoundRobinPolicy(), FiveInARow with { MaxEjectedPercent = 50 });

        for (var i = 0; i < 4; i++)
        {
            fleet.Fail(i, tries: 5);
        }

        Assert.Equal(2, Enumerable.Range(0, 4).Count(i => fleet[i].Health.State == DestinationState.Ejected));
        Assert.Equal(2, fleet.Cluster.Ejections);
    }

    [Fact]
    public void OneDestinationMayAlwaysBeEjectedHoweverSmallTheShare()
    {
        // 10% of two destinations rounds down to none; one may go all the same.
        using var fleet = ClusterUnderTest.Weighted([1, 1], new RoundRobinPolicy(), FiveInARow with { MaxEjectedPercent = 10 });

        fleet.Fail(0, tries: 5);
        fleet.Fail(1, tries: 5);

        Assert.Equal(DestinationState.Ejected, fleet[0].Health.State);
        Assert.Equal(DestinationState.Healthy, fleet[1].Health.State);
    }

    [Fact]
    public void OnlyTheConfiguredFailureStatusesCount()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1], new RoundRobinPolicy(), FiveInARow);
        var cluster = fleet.Cluster;

        int[] statuses = [200, 404, 429, 500, 502, 503, 504];
        Assert.Equal([502, 503, 504], statuses.Where(cluster.IsFailureStatus));

        int[] notFailures = [500, 500, 500, 500, 500, 404, 429];
        foreach (var status in notFailures)
        {
            cluster.Report(fleet[0], cluster.IsFailureStatus(status));
        }

        Assert.Equal(DestinationState.Healthy, fleet[0].Health.State);
        Assert.Equal(0, fleet[0].Health.Failures);

        int[] failures = [502, 503, 504, 503, 502];
        foreach (var status in failures)
        {
            cluster.Report(fleet[0], cluster.IsFailureStatus(status));
        }

        Assert.Equal(DestinationState.Ejected, fleet[0].Health.State);
    }

    [Fact]
    public void ConfiguredStatusesReplaceTheDefaultsButASuccessNeverFails()
    {
        using var fleet = ClusterUnderTest.Weighted([1], new RoundRobinPolicy(), FiveInARow with { FailureStatuses = [200, 500, 503] });

        Assert.True(fleet.Cluster.IsFailureStatus(500));
        Assert.True(fleet.Cluster.IsFailureStatus(503));
        Assert.False(fleet.Cluster.IsFailureStatus(502));
        Assert.False(fleet.Cluster.IsFailureStatus(200));
    }

    [Fact]
    public void WithoutPassiveChecksTriesAreCountedButNothingIsEjected()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1], new RoundRobinPolicy(), ClusterUnderTest.NoOutliers);

        fleet.Fail(0, tries: 50);
        fleet.Cluster.Report(fleet[0], failed: false);

        Assert.Equal(DestinationState.Healthy, fleet[0].Health.State);
        Assert.Equal(51, fleet[0].Health.Requests);
        Assert.Equal(50, fleet[0].Health.Failures);
        Assert.Equal(0, fleet.Cluster.Ejections);
    }
}
