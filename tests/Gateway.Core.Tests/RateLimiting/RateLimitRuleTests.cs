using Gateway.Core.RateLimiting;

namespace Gateway.Core.Tests.RateLimiting;

/// <summary>The share of a rule that each of several instances grants on its own.</summary>
public sealed class RateLimitRuleTests
{
    [Theory]
    [InlineData(1000, 0, 1, 1000)]
    [InlineData(1000, 0, 2, 500)]
    [InlineData(10, 0, 3, 3)]
    [InlineData(100, 20, 3, 6)]
    [InlineData(1, 0, 2, 1)]
    [InlineData(5, 3, 8, 1)]
    public void AShareHoldsTheCapacityDividedRoundedDownButNeverLessThanOne(long permits, long burst, int instances, long capacity)
    {
        var rule = new RateLimitRule(permits, TimeSpan.FromMinutes(1), burst);

        Assert.Equal(capacity, rule.ShareOf(instances).Capacity);
    }

    [Fact]
    public void SharesTogetherRefillAtTheRulesRateAndHoldAtMostItsCapacityOrOnePermitEach()
    {
        foreach (var permits in new long[] { 1, 2, 3, 7, 10, 999, 1000 })
        {
            foreach (var burst in new long[] { 0, 1, 5, 50 })
            {
                var rule = new RateLimitRule(permits, TimeSpan.FromSeconds(7), burst);
                for (var instances = 1; instances <= 12; instances++)
                {
                    var share = rule.ShareOf(instances);

                    // The same permits over n times the period: n shares refill exactly as fast as the rule.
                    Assert.Equal(rule.Permits, share.Permits);
                    Assert.Equal(rule.Period * instances, share.Period);
                    Assert.InRange(share.Capacity, 1, rule.Capacity);
                    Assert.InRange(instances * share.Capacity, 1, Math.Max(rule.Capacity, instances));
                }
            }
        }
    }

    [Fact]
    public void ThereIsNoShareOfNoInstances() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimitRule(10, TimeSpan.FromSeconds(1)).ShareOf(0));
}
