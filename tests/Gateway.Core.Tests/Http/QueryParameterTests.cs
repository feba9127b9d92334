using System.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Tests.Http;

/// <summary>Taking query parameters out of a parsed head where it lies, and reading what was taken out.</summary>
public sealed class QueryParameterTests
{
    private static readonly byte[][] Names = ["api_key"u8.ToArray(), "token"u8.ToArray()];

    [Theory]
    [InlineData("/a?api_key=s3cret", "", "s3cret")]
    [InlineData("/a?api_key=s3cret&y=2", "?y=2", "s3cret")]
    [InlineData("/a?x=1&api_key=s3cret", "?x=1", "s3cret")]
    [InlineData("/a?x=1&api_key=first&y=2&api_key=second", "?x=1&y=2", "first")]
    [InlineData("/a?token=t&x=1&api_key=k", "?x=1", "k")]
    [InlineData("/a?api_keys=kept&api_key", "?api_keys=kept", "")]
    [InlineData("/a?x=1&&api_key=k&", "?x=1&", "k")]
    [InlineData("/a?x=1", "?x=1", "")]
    [InlineData("/a", "", "")]
    public void ParametersAreTakenOutTheRestKeptAndTheValuesReadable(string target, string query, string value)
    {
        using var head = Parsed(target);

        head.RemoveQueryParameters(Names);

        Assert.Equal(query, Encoding.ASCII.GetString(head.QueryBytes));
        Assert.Equal("/a", Encoding.ASCII.GetString(head.PathBytes));
        Assert.Equal(value, Encoding.ASCII.GetString(head.RemovedQueryParameter("api_key"u8)));
        Assert.Equal(target.Contains("token=t", StringComparison.Ordinal) ? "t" : "", Encoding.ASCII.GetString(head.RemovedQueryParameter("token"u8)));
    }

    [Fact]
    public void AHeadForgetsWhatWasTakenOutWhenReset()
    {
        using var head = Parsed("/a?api_key=s3cret");
        head.RemoveQueryParameters(Names);

        head.Reset();

        Assert.True(head.RemovedQueryParameter("api_key"u8).IsEmpty);
    }

    private static RequestHead Parsed(string target)
    {
        var head = new RequestHead();
        var parser = new HttpRequestParser(new HttpLimits());
        parser.Reset();
        Assert.Equal(HeadStatus.Complete, parser.TryReadHead(Sequences.Of(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: a\r\n\r\n")), head, out _, out _));
        return head;
    }
}
