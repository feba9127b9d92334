using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>The cap on requests waiting for a connection: up to the cap they wait, past it they are refused, and one served frees a place.</summary>
public sealed class PendingRequestsTests
{
    [Fact]
    public void RequestsWaitUpToTheCapAndTheNextIsRefused()
    {
        var pending = new PendingRequests(2);

        Assert.True(pending.TryEnter());
        Assert.True(pending.TryEnter());
        Assert.False(pending.TryEnter());
        Assert.Equal(2, pending.Count);
    }

    [Fact]
    public void AServedRequestFreesAPlace()
    {
        var pending = new PendingRequests(1);
        Assert.True(pending.TryEnter());
        Assert.False(pending.TryEnter());

        pending.Exit();

        Assert.Equal(0, pending.Count);
        Assert.True(pending.TryEnter());
    }

    [Fact]
    public void ACapOfZeroRefusesEveryWait()
    {
        var pending = new PendingRequests(0);

        Assert.False(pending.TryEnter());
        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public void ConcurrentWaitersNeverExceedTheCap()
    {
        var pending = new PendingRequests(10);
        var admitted = 0;

        Parallel.For(0, 1_000, _ =>
        {
            if (pending.TryEnter())
            {
                Interlocked.Increment(ref admitted);
            }
        });

        Assert.Equal(10, admitted);
        Assert.Equal(10, pending.Count);
    }
}
