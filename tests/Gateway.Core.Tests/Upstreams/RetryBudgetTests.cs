using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>The retry budget: a share of the requests in flight may be retrying, never fewer than the floor; leaving frees a place.</summary>
public sealed class RetryBudgetTests
{
    [Fact]
    public void FewRequestsInFlightStillAllowTheFloor()
    {
        var budget = new RetryBudget(percent: 20, minConcurrency: 3);

        Assert.Equal([true, true, true, false], Enter(budget, times: 4, inFlight: 5));
        Assert.Equal(3, budget.Active);
    }

    [Fact]
    public void ManyRequestsInFlightAllowTheirShare()
    {
        var budget = new RetryBudget(percent: 20, minConcurrency: 3);

        var entered = Enter(budget, times: 25, inFlight: 100);

        Assert.Equal(20, entered.Count(allowed => allowed));
        Assert.Equal(20, budget.Active);
    }

    [Fact]
    public void TheShareFollowsTheRequestsInFlightAtEachRetry()
    {
        var budget = new RetryBudget(percent: 50, minConcurrency: 1);
        Assert.Equal([true, true, false], Enter(budget, times: 3, inFlight: 4));

        Assert.True(budget.TryEnter(inFlight: 6));
        Assert.False(budget.TryEnter(inFlight: 6));
    }

    [Fact]
    public void ARetryThatEndsFreesItsPlace()
    {
        var budget = new RetryBudget(percent: 20, minConcurrency: 1);
        Assert.True(budget.TryEnter(inFlight: 1));
        Assert.False(budget.TryEnter(inFlight: 1));

        budget.Exit();

        Assert.Equal(0, budget.Active);
        Assert.True(budget.TryEnter(inFlight: 1));
    }

    [Fact]
    public void ARefusalTakesNoPlace()
    {
        var budget = new RetryBudget(percent: 0, minConcurrency: 2);
        Enter(budget, times: 10, inFlight: 1_000);

        Assert.Equal(2, budget.Active);
    }

    private static bool[] Enter(RetryBudget budget, int times, int inFlight) => [.. Enumerable.Range(0, times).Select(_ => budget.TryEnter(inFlight))];
}
