using System.Text;
using Gateway.Core.Observability;

namespace Gateway.Core.Tests.Observability;

/// <summary>W3C traceparent handling: continue a valid trace with a new span, start a new trace otherwise.</summary>
public sealed class TraceContextTests
{
    private const string Valid = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public void ValidTraceParentIsContinuedWithANewParentId()
    {
        var trace = new TraceContext();

        trace.Start(Encoding.ASCII.GetBytes(Valid));

        Assert.True(trace.HasParent);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", Encoding.ASCII.GetString(trace.TraceId));
        Assert.Equal("b7ad6b7169203331", Encoding.ASCII.GetString(trace.ParentId));
        var upstream = Upstream(trace);
        Assert.StartsWith("00-0af7651916cd43dd8448eb211c80319c-", upstream, StringComparison.Ordinal);
        Assert.EndsWith("-01", upstream, StringComparison.Ordinal);
        Assert.NotEqual("b7ad6b7169203331", upstream[36..52]);
        Assert.Equal(Encoding.ASCII.GetString(trace.SpanId), upstream[36..52]);
    }

    [Fact]
    public void UnsampledFlagIsKept()
    {
        var trace = new TraceContext();

        trace.Start(Encoding.ASCII.GetBytes(Valid[..^2] + "00"));

        Assert.False(trace.Sampled);
        Assert.EndsWith("-00", Upstream(trace), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01")]
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01")]
    [InlineData("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")]
    [InlineData("00_0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")]
    public void InvalidTraceParentStartsANewSampledTrace(string traceparent)
    {
        var trace = new TraceContext();

        trace.Start(Encoding.ASCII.GetBytes(traceparent));

        Assert.False(trace.HasParent);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", Upstream(trace));
        Assert.NotEqual("0af7651916cd43dd8448eb211c80319c", Encoding.ASCII.GetString(trace.TraceId));
    }

    [Fact]
    public void EveryRequestGetsItsOwnSpan()
    {
        var trace = new TraceContext();
        trace.Start(Encoding.ASCII.GetBytes(Valid));
        var first = Upstream(trace);

        trace.Start(Encoding.ASCII.GetBytes(Valid));

        Assert.NotEqual(first, Upstream(trace));
    }

    private static string Upstream(TraceContext trace)
    {
        var value = new byte[TraceContext.TraceParentLength];
        trace.WriteUpstreamTraceParent(value);
        return Encoding.ASCII.GetString(value);
    }
}
