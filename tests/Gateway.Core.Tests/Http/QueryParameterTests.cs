using System.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Tests.Http;

/// <summary>Reading a query parameter of a parsed head, and taking one out of the query where it lies.</summary>
public sealed class QueryParameterTests
{
    [Theory]
    [InlineData("/a?api_key=s3cret", "s3cret")]
    [InlineData("/a?x=1&api_key=s3cret&y=2", "s3cret")]
    [InlineData("/a?api_key=first&api_key=second", "first")]
    [InlineData("/a?api_key", "")]
    [InlineData("/a?api_keys=no", "")]
    [InlineData("/a", "")]
    public void AParameterIsReadAsSent(string target, string value)
    {
        using var head = Parsed(target);

        Assert.Equal(value, Encoding.ASCII.GetString(head.QueryParameter("api_key"u8)));
    }

    [Theory]
    [InlineData("/a?api_key=s3cret", "")]
    [InlineData("/a?api_key=s3cret&y=2", "?y=2")]
    [InlineData("/a?x=1&api_key=s3cret", "?x=1")]
    [InlineData("/a?x=1&api_key=s3cret&y=2&api_key=again", "?x=1&y=2")]
    [InlineData("/a?api_keys=kept&api_key", "?api_keys=kept")]
    [InlineData("/a?x=1", "?x=1")]
    [InlineData("/a", "")]
    public void AParameterIsTakenOutAndTheRestKept(string target, string query)
    {
        using var head = Parsed(target);

        head.RemoveQueryParameter("api_key"u8);

        Assert.Equal(query, Encoding.ASCII.GetString(head.QueryBytes));
        Assert.Equal("/a", Encoding.ASCII.GetString(head.PathBytes));
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
