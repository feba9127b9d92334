using System.Text;
using Gateway.Core.Aggregation;
using Gateway.Core.Tests.Pipeline;

namespace Gateway.Core.Tests.Aggregation;

/// <summary>A part's target is filled with every value percent-encoded as one segment or one query value, and never names another path.</summary>
public sealed class PartTemplateTests
{
    [Theory]
    [InlineData("/u/{id}", "GET /r/caf%C3%A9 HTTP/1.1", "/u/caf%C3%A9")]
    [InlineData("/u?name={query.name}", "GET /r/x?name=a%26b%3Dc&name=z HTTP/1.1", "/u?name=a%26b%3Dc")]
    [InlineData("/u?name={query.name}", "GET /r/x?other=1 HTTP/1.1", "/u?name=")]
    [InlineData("/u/{other.next}", "GET /r/x HTTP/1.1", "/u/..%2Fadmin%3Fx%3D1%23f")]
    [InlineData("/u?n={other.list[1].n}&b={other.flag}", "GET /r/x HTTP/1.1", "/u?n=2.5&b=true")]
    public void ValuesAreEncodedWhereTheyStand(string template, string requestLine, string expected)
    {
        var target = Fill(template, requestLine, """{ "next": "../admin?x=1#f", "list": [ { "n": 1 }, { "n": 2.5 } ], "flag": true }""", out var problem);

        Assert.Equal(expected, target is null ? problem : Encoding.ASCII.GetString(target));
    }

    [Theory]
    [InlineData("/u/{other.dots}", "is empty, \".\" or \"..\"")]
    [InlineData("/u/{other.empty}", "is empty, \".\" or \"..\"")]
    [InlineData("/u/{other.missing}", "\"missing\" is not in the answer")]
    [InlineData("/u/{other.list}", "\"list\" is not in the answer")]
    public void AValueThatWouldNameAnotherPathOrIsMissingFailsThePart(string template, string reason)
    {
        var target = Fill(template, "GET /r/x HTTP/1.1", """{ "dots": "..", "empty": "", "list": [1] }""", out var problem);

        Assert.Null(target);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    private static byte[]? Fill(string template, string requestLine, string otherAnswer, out string problem)
    {
        var parsed = PartTemplate.Parse(template, ["id"], ["this", "other"], out problem) ?? throw new ArgumentException(problem);
        var context = TestContexts.For(requestLine + "\r\nHost: a\r\n\r\n");
        var path = context.Head.PathBytes;
        context.Parameters[0] = new Range(3, path.Length);
        return parsed.Fill(context, [default, Encoding.UTF8.GetBytes(otherAnswer)], out problem);
    }
}
