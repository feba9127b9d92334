namespace Gateway.Core.Tests.RateLimiting;

/// <summary>
/// Whether the Redis tests run: <c>GATEWAY_TEST_REDIS=start</c> starts a <c>redis-server</c>, <c>host:port</c> uses a
/// running one. Unset, they fail when <c>CI=true</c>, and are reported as skipped otherwise.
/// </summary>
internal static class RedisEnvironment
{
    public const string Variable = "GATEWAY_TEST_REDIS";

    /// <summary>The variable's value, or null when unset or empty.</summary>
    public static string? Setting => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>Fails in CI when Redis is not configured; elsewhere skips the calling test with the reason.</summary>
    public static void Require()
    {
        Assert.False(
            Setting is null && string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
            $"{Variable} is not set, but CI=true: the Redis tests must run in CI. Set {Variable}=start (redis-server on PATH) or {Variable}=host:port.");
        Skip.If(Setting is null, $"{Variable} is not set. Set {Variable}=start (redis-server on PATH) or {Variable}=host:port to run the Redis tests.");
    }
}
