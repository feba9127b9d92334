using Gateway.Core.Routing;
using static Gateway.Core.Tests.Routing.RouteTableHarness;

namespace Gateway.Core.Tests.Routing;

public class MatchAllocationTests
{
    [Fact]
    public void MatchAllocatesNothingAfterWarmUp()
    {
        var table = Table(
            Route("me", "/users/me", methods: ["GET"], hosts: ["api.example.com"]),
            Route("user", "/users/{id}", methods: ["DELETE"], hosts: ["*.example.com"]),
            Route("posts", "/users/{id}/posts/{post}"),
            Route("files", "/files/{*rest}", methods: ["GET", "HEAD"]));
        var requests = new (byte[] Host, byte[] Method, byte[] Path, RouteMatchStatus Expected)[]
        {
            ("api.example.com"u8.ToArray(), "GET"u8.ToArray(), "/users/me"u8.ToArray(), RouteMatchStatus.Matched),
            ("API.example.com"u8.ToArray(), "DELETE"u8.ToArray(), "/Users/me/"u8.ToArray(), RouteMatchStatus.Matched),
            ("a.example.com"u8.ToArray(), "GET"u8.ToArray(), "/users/7/posts/9"u8.ToArray(), RouteMatchStatus.Matched),
            (""u8.ToArray(), "HEAD"u8.ToArray(), "/files/a/b/c"u8.ToArray(), RouteMatchStatus.Matched),
            ("api.example.com"u8.ToArray(), "PUT"u8.ToArray(), "/users/me"u8.ToArray(), RouteMatchStatus.MethodNotAllowed),
            (""u8.ToArray(), "POST"u8.ToArray(), "/files"u8.ToArray(), RouteMatchStatus.MethodNotAllowed),
            (""u8.ToArray(), "GET"u8.ToArray(), "/nothing/here"u8.ToArray(), RouteMatchStatus.NotFound),
        };
        var parameters = new Range[RouteTable<string>.MaxParameters];

        for (var warmUp = 0; warmUp < 1_000; warmUp++)
        {
            foreach (var (host, method, path, expected) in requests)
            {
                Assert.Equal(expected, table.Match(host, method, path, parameters, out _, out _));
            }
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var matched = 0;
        for (var round = 0; round < 10_000; round++)
        {
            foreach (var (host, method, path, _) in requests)
            {
                if (table.Match(host, method, path, parameters, out _, out _) == RouteMatchStatus.Matched)
                {
                    matched++;
                }
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(40_000, matched);
    }
}
