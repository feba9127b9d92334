using Gateway.Core.Proxy;
using Gateway.Core.Tests.RateLimiting;

namespace Gateway.Core.Tests.Proxy;

/// <summary>
/// The upstream deadline on a clock the test moves: a wait runs out at its timeout and not before, activity pushes it out,
/// a stopped deadline never fires, a per-try head timeout and the overall time bound a wait, and an exchange after one
/// that timed out or whose client left starts on a token of its own.
/// </summary>
public sealed class UpstreamDeadlineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void AWaitRunsOutAtItsTimeoutAndNotBefore()
    {
        using var deadline = new UpstreamDeadline(_clock);
        deadline.Start(Timeout);

        AssertRunsOutIn(deadline, Timeout);
    }

    [Fact]
    public void ActivityPushesTheDeadlineOutByAWholeTimeout()
    {
        using var deadline = new UpstreamDeadline(_clock);
        deadline.Start(Timeout);

        _clock.Advance(TimeSpan.FromSeconds(20));
        deadline.Extend();
        _clock.Advance(TimeSpan.FromSeconds(20));
        deadline.Extend();

        // The timer set for the first wait fired at 30 s, found the wait pushed out and was set again for the rest.
        AssertRunsOutIn(deadline, Timeout);
    }

    [Fact]
    public void AStoppedDeadlineNeverFires()
    {
        using var deadline = new UpstreamDeadline(_clock);
        deadline.Start(Timeout);
        deadline.Stop();

        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.False(deadline.Token.IsCancellationRequested);
    }

    [Fact]
    public void ExchangesOneAfterAnotherEachGetTheirWholeTimeout()
    {
        using var deadline = new UpstreamDeadline(_clock);
        for (var i = 0; i < 5; i++)
        {
            deadline.Start(Timeout);
            _clock.Advance(TimeSpan.FromSeconds(25));
            deadline.Stop();
        }

        deadline.Start(Timeout);
        AssertRunsOutIn(deadline, Timeout);
    }

    [Fact]
    public void APerTryHeadTimeoutShorterThanTheTimerEndsTheTryAtIt()
    {
        using var deadline = new UpstreamDeadline(_clock);
        deadline.Start(Timeout);
        deadline.StartTry(TimeSpan.FromSeconds(2));

        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.True(deadline.TimedOut);
    }

    [Fact]
    public void TheOverallTimeBoundsEveryWait()
    {
        using var deadline = new UpstreamDeadline(_clock);
        deadline.Start(Timeout, overall: TimeSpan.FromSeconds(10));

        _clock.Advance(TimeSpan.FromSeconds(6));
        deadline.Extend();
        Assert.False(deadline.Expired);
        _clock.Advance(TimeSpan.FromSeconds(4));

        Assert.True(deadline.TimedOut);
        Assert.True(deadline.Expired);
    }

    [Fact]
    public void AnExchangeAfterOneThatTimedOutStartsOnATokenOfItsOwn()
    {
        using var deadline = new UpstreamDeadline(_clock);
        deadline.Start(Timeout);
        var first = deadline.Token;
        _clock.Advance(Timeout);

        deadline.Start(Timeout);

        Assert.True(first.IsCancellationRequested);
        Assert.False(deadline.Token.IsCancellationRequested);
        Assert.False(deadline.TimedOut);
    }

    [Fact]
    public void TheClientLeavingCancelsTheExchangeWithoutCallingItATimeout()
    {
        using var clientClosed = new CancellationTokenSource();
        using var deadline = new UpstreamDeadline(_clock);
        deadline.Bind(clientClosed.Token);
        deadline.Start(Timeout);

        clientClosed.Cancel();

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.False(deadline.TimedOut);
        Assert.True(deadline.ClientClosed);
        deadline.Start(Timeout);
        Assert.True(deadline.Token.IsCancellationRequested);
    }

    /// <summary>Moves the clock to a millisecond before <paramref name="left"/> has passed, then to it: the wait runs out then, not before.</summary>
    private void AssertRunsOutIn(UpstreamDeadline deadline, TimeSpan left)
    {
        _clock.Advance(left - TimeSpan.FromMilliseconds(1));
        Assert.False(deadline.Token.IsCancellationRequested);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(deadline.TimedOut);
    }
}
