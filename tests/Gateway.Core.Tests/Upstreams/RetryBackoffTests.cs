using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>The wait before a retry: random, from nothing up to the backoff doubled at each retry, ten times the backoff at most.</summary>
public sealed class RetryBackoffTests
{
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(25);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 10)]
    [InlineData(9, 10)]
    [InlineData(40, 10)]
    public void EachWaitLiesBetweenNothingAndTheRetrysCeiling(int retry, int multiple)
    {
        var policy = Policy();
        var ceiling = Backoff * multiple;

        var waits = Enumerable.Range(0, 2_000).Select(_ => policy.BackoffBefore(retry)).ToArray();

        Assert.All(waits, wait => Assert.InRange(wait, TimeSpan.Zero, ceiling - TimeSpan.FromTicks(1)));

        // Random, not fixed: over 2,000 draws some land in the top quarter and some in the bottom quarter.
        Assert.Contains(waits, wait => wait > ceiling * 0.75);
        Assert.Contains(waits, wait => wait < ceiling * 0.25);
    }

    [Fact]
    public void NoBackoffMeansNoWait()
    {
        var policy = new RetryPolicy(3, true, true, true, [], null, TimeSpan.Zero, false, 0);

        Assert.Equal(TimeSpan.Zero, policy.BackoffBefore(1));
        Assert.Equal(TimeSpan.Zero, policy.BackoffBefore(7));
    }

    [Fact]
    public void OnlyTheListedStatusesAreRetried()
    {
        var policy = Policy();

        Assert.True(policy.OnStatus(503));
        Assert.False(policy.OnStatus(500));
    }

    private static RetryPolicy Policy() => new(
        attempts: 3, onConnect: true, onReset: true, onTimeout: true, statuses: [502, 503], perTryTimeout: null, backoff: Backoff,
        idempotencyKey: false, maxBodyBytes: 0);
}
