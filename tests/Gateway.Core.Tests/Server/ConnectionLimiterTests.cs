using System.Net;
using Gateway.Core.Configuration;
using Gateway.Core.Http;
using Gateway.Core.Server;

namespace Gateway.Core.Tests.Server;

/// <summary>The total and per-client connection caps: who is admitted, who is refused with which 503, and that closing frees a place.</summary>
public sealed class ConnectionLimiterTests
{
    private static readonly IPAddress Alice = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Bob = IPAddress.Parse("2001:db8::2");

    [Fact]
    public void EachClientMayOpenUpToItsCap()
    {
        var limiter = new ConnectionLimiter(new TransportSettings { MaxConnectionsPerClient = 2 });

        Assert.Null(limiter.TryAdmit(Alice));
        Assert.Null(limiter.TryAdmit(Alice));
        Assert.Same(RequestError.TooManyClientConnections, limiter.TryAdmit(Alice));
        Assert.Null(limiter.TryAdmit(Bob));
        Assert.Null(limiter.TryAdmit(Bob));
        Assert.Same(RequestError.TooManyClientConnections, limiter.TryAdmit(Bob));
    }

    [Fact]
    public void ClosingAConnectionFreesAPlace()
    {
        var limiter = new ConnectionLimiter(new TransportSettings { MaxConnectionsPerClient = 1 });
        Assert.Null(limiter.TryAdmit(Alice));
        Assert.NotNull(limiter.TryAdmit(Alice));

        limiter.Release(Alice);

        Assert.Null(limiter.TryAdmit(Alice));
    }

    [Fact]
    public void TotalCapCountsEveryClient()
    {
        var limiter = new ConnectionLimiter(new TransportSettings { MaxConnections = 2, MaxConnectionsPerClient = 5 });
        Assert.Null(limiter.TryAdmit(Alice));
        Assert.Null(limiter.TryAdmit(Bob));

        Assert.Same(RequestError.TooManyConnections, limiter.TryAdmit(Alice));
        Assert.Same(RequestError.TooManyConnections, limiter.TryAdmit(null));
        limiter.Release(Bob);
        Assert.Null(limiter.TryAdmit(null));
    }

    [Fact]
    public void RefusalByTheClientCapDoesNotTakeAPlaceInTheTotal()
    {
        var limiter = new ConnectionLimiter(new TransportSettings { MaxConnections = 2, MaxConnectionsPerClient = 1 });
        Assert.Null(limiter.TryAdmit(Alice));

        Assert.Same(RequestError.TooManyClientConnections, limiter.TryAdmit(Alice));
        Assert.Same(RequestError.TooManyClientConnections, limiter.TryAdmit(Alice));

        Assert.Null(limiter.TryAdmit(Bob));
    }

    [Fact]
    public void ZeroCapsAdmitEveryone()
    {
        var limiter = new ConnectionLimiter(new TransportSettings());

        for (var i = 0; i < 10_000; i++)
        {
            Assert.Null(limiter.TryAdmit(Alice));
        }
    }

    [Fact]
    public async Task ConcurrentOpensAndClosesLeaveExactCounts()
    {
        const int Cap = 8;
        var limiter = new ConnectionLimiter(new TransportSettings { MaxConnectionsPerClient = Cap });
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                if (limiter.TryAdmit(Alice) is null)
                {
                    limiter.Release(Alice);
                }
            }
        }));
        await Task.WhenAll(workers);

        for (var i = 0; i < Cap; i++)
        {
            Assert.Null(limiter.TryAdmit(Alice));
        }

        Assert.NotNull(limiter.TryAdmit(Alice));
    }
}
