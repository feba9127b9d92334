namespace Gateway.Core.Tests.RateLimiting;

/// <summary>The xunit collection of the tests that share one Redis (<see cref="RedisFixture"/>); they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SharedRedis : ICollectionFixture<RedisFixture>
{
    public const string Name = "Shared Redis";
}
