using System.Collections.Concurrent;
using Gateway.Core.Upstreams;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>
/// The outlier detector's timer brings an ejected destination back once its ejection runs out, on probation: one failure
/// ejects it again, for longer, while a success ends the probation. Waits are polls with a generous deadline; the only
/// times compared are lower bounds that a slow machine can only make longer.
/// </summary>
public sealed class ReadmissionTests
{
    private static readonly TimeSpan EjectionTime = TimeSpan.FromMilliseconds(200);

    private static readonly OutlierSettings Outliers =
        OutlierSettings.Default with { ConsecutiveFailures = 3, MaxEjectedPercent = 100, EjectionTime = EjectionTime };

    [Fact]
    public async Task AnEjectedDestinationComesBackOnProbationOnceItsEjectionRunsOut()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1], new RoundRobinPolicy(), Outliers);
        var ejectedNoEarlierThan = Environment.TickCount64;
        fleet.Fail(0, tries: 3);
        Assert.Equal(DestinationState.Ejected, fleet[0].Health.State);
        Assert.DoesNotContain(fleet[0], fleet.Cluster.Available.Members);

        await Poll.UntilAsync(() => fleet.Cluster.Available.Members.Contains(fleet[0]), "the ejected destination to be balanced over again");

        Assert.True(Environment.TickCount64 - ejectedNoEarlierThan >= EjectionTime.TotalMilliseconds);
        Assert.Equal(DestinationState.Healthy, fleet[0].Health.State);
        Assert.True(fleet[0].Health.OnProbation);
    }

    [Fact]
    public async Task ASuccessOnProbationMeansTheFullCountOfFailuresIsNeededAgain()
    {
        using var fleet = ClusterUnderTest.Weighted([1, 1, 1], new RoundRobinPolicy(), Outliers);
        fleet.Fail(0, tries: 3);
        await Poll.UntilAsync(() => fleet[0].Health.State == DestinationState.Healthy, "the ejected destination to be readmitted");

        fleet.Cluster.Report(fleet[0], failed: false);
        Assert.False(fleet[0].Health.OnProbation);
        fleet.Fail(0, tries: 2);
        Assert.Equal(DestinationState.Healthy, fleet[0].Health.State);

        fleet.Fail(0);
        Assert.Equal(DestinationState.Ejected, fleet[0].Health.State);
        Assert.Equal(2, fleet[0].Health.TimesEjected);
    }

    [Fact]
    public async Task OneFailureOnProbationEjectsAgainForLonger()
    {
        var readmissions = new ConcurrentQueue<long>();
        var secondFailureAt = 0L;
        ClusterUnderTest? fleet = null;
        void OnStateChanged(Destination destination)
        {
            if (destination.Health.State != DestinationState.Healthy)
            {
                return;
            }

            readmissions.Enqueue(Environment.TickCount64);
            if (readmissions.Count == 1)
            {
                // A try fails as the destination comes back, before any time is spent back in (which would forget the first ejection).
                Volatile.Write(ref secondFailureAt, Environment.TickCount64);
                fleet!.Fail(0);
            }
        }

        using var owned = fleet = ClusterUnderTest.Weighted([1, 1, 1], new RoundRobinPolicy(), Outliers, OnStateChanged);
        var firstFailuresAt = Environment.TickCount64;
        fleet.Fail(0, tries: 3);

        await Poll.UntilAsync(() => readmissions.Count == 2, "the destination to be ejected again on probation and readmitted");

        Assert.Equal(2, fleet[0].Health.TimesEjected);
        Assert.Equal(2, fleet.Cluster.Ejections);
        var readmitted = readmissions.ToArray();
        Assert.True(readmitted[0] - firstFailuresAt >= EjectionTime.TotalMilliseconds, "the first ejection lasts at least the ejection time");
        Assert.True(
            readmitted[1] - Volatile.Read(ref secondFailureAt) >= 2 * EjectionTime.TotalMilliseconds,
            "the second ejection lasts at least twice the ejection time");
    }
}
