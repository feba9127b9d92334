using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>
/// A destination's pool against a real server on loopback: a returned connection is reused while it is young enough, one
/// past its lifetime is closed and replaced by a new one, and past the connection cap a request waits among the cluster's
/// pending requests, or is refused when they are at their cap.
/// </summary>
public sealed class ConnectionPoolTests
{
    [Fact]
    public async Task AReturnedConnectionIsReused()
    {
        using var upstream = new LoopbackUpstream(UpstreamAnswer.Hold);
        using var pool = Pool(upstream, maxConnections: int.MaxValue, lifetime: Timeout.InfiniteTimeSpan);
        var pending = new PendingRequests(0);

        var first = await pool.RentAsync(fresh: false, pending, CancellationToken.None);
        pool.Return(first);
        var second = await pool.RentAsync(fresh: false, pending, CancellationToken.None);

        Assert.Same(first, second);
        pool.Close(second);
        await Poll.UntilAsync(() => upstream.ClosedByClient == 1, "the connection to close");
        Assert.Equal(1, upstream.Accepted);
    }

    [Fact]
    public async Task AConnectionPastItsLifetimeIsNotReusedButReplaced()
    {
        var lifetime = TimeSpan.FromMilliseconds(200);
        using var upstream = new LoopbackUpstream(UpstreamAnswer.Hold);
        using var pool = Pool(upstream, maxConnections: int.MaxValue, lifetime);
        var pending = new PendingRequests(0);
        var first = await pool.RentAsync(fresh: false, pending, CancellationToken.None);
        await Poll.UntilAsync(() => upstream.Accepted == 1, "the first connection");

        pool.Return(first);
        await Poll.UntilAsync(() => Environment.TickCount64 - first.OpenedAt >= lifetime.TotalMilliseconds, "the first connection's lifetime to run out");
        var second = await pool.RentAsync(fresh: false, pending, CancellationToken.None);

        Assert.NotSame(first, second);
        await Poll.UntilAsync(() => upstream.Accepted == 2, "a second connection");
        await Poll.UntilAsync(() => upstream.ClosedByClient == 1, "the expired connection to close");
        pool.Close(second);
    }

    [Fact]
    public async Task PastTheConnectionCapWithNoRoomToWaitARequestIsRefused()
    {
        using var upstream = new LoopbackUpstream(UpstreamAnswer.Hold);
        using var pool = Pool(upstream, maxConnections: 1, lifetime: Timeout.InfiniteTimeSpan);
        var pending = new PendingRequests(0);
        var first = await pool.RentAsync(fresh: false, pending, CancellationToken.None);

        await Assert.ThrowsAsync<ClusterOverloadedException>(async () => await pool.RentAsync(fresh: false, pending, CancellationToken.None));

        Assert.Equal(0, pending.Count);
        pool.Close(first);
    }

    [Fact]
    public async Task PastTheConnectionCapARequestWaitsUntilAConnectionCloses()
    {
        using var upstream = new LoopbackUpstream(UpstreamAnswer.Hold);
        using var pool = Pool(upstream, maxConnections: 1, lifetime: Timeout.InfiniteTimeSpan);
        var pending = new PendingRequests(1);
        var first = await pool.RentAsync(fresh: false, pending, CancellationToken.None);

        var waiting = pool.RentAsync(fresh: false, pending, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, pending.Count);
        await Assert.ThrowsAsync<ClusterOverloadedException>(async () => await pool.RentAsync(fresh: false, pending, CancellationToken.None));

        pool.Close(first);
        await Poll.UntilAsync(() => waiting.IsCompleted, "the waiting request to get a connection");
        var second = await waiting;

        Assert.NotSame(first, second);
        Assert.Equal(0, pending.Count);
        pool.Close(second);
    }

    [Fact]
    public async Task PastTheConnectionCapARequestWaitingGetsTheConnectionThatComesBack()
    {
        using var upstream = new LoopbackUpstream(UpstreamAnswer.Hold);
        using var pool = Pool(upstream, maxConnections: 1, lifetime: Timeout.InfiniteTimeSpan);
        var pending = new PendingRequests(1);
        var first = await pool.RentAsync(fresh: false, pending, CancellationToken.None);
        var waiting = pool.RentAsync(fresh: false, pending, CancellationToken.None).AsTask();

        pool.Return(first);
        await Poll.UntilAsync(() => waiting.IsCompleted, "the waiting request to get the returned connection");

        Assert.Same(first, await waiting);
        Assert.Equal(0, pending.Count);
        pool.Close(first);
    }

    private static UpstreamConnectionPool Pool(LoopbackUpstream upstream, int maxConnections, TimeSpan lifetime) =>
        new(new UpstreamAddress(upstream.Url), new PoolSettings(TimeSpan.FromSeconds(5), maxConnections, TimeSpan.FromMinutes(5), lifetime), UpstreamTls.Default);
}
