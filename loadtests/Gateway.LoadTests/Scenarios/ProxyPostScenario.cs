using System.Net.Http.Headers;

namespace Gateway.LoadTests.Scenarios;

/// <summary>Proxying with a request body: a small JSON POST streamed through to the upstream.</summary>
internal static class ProxyPostScenario
{
    private static readonly byte[] Body = """{"sku":"A-1042","quantity":3,"note":"load test order"}"""u8.ToArray();

    /// <summary>The scenario.</summary>
    public static Scenario Create() => new(
        Name: "proxy-post",
        Description: "POST /orders with a 55-byte JSON body through a route to the upstream (request body forwarding).",
        Gateway: new("""[ { "id": "orders-create", "match": { "path": "/orders", "methods": ["POST"] }, "cluster": "upstream" } ]"""),
        ExpectedStatuses: new HashSet<int> { 200 },
        CreateRequest: static (target, _) => new HttpRequestMessage(HttpMethod.Post, new Uri(target, "/orders"))
        {
            Content = new ByteArrayContent(Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        },
        Stages: static profile => profile.RampThenHold());
}
