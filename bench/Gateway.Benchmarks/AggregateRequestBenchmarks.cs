using System.Text;
using BenchmarkDotNet.Attributes;

namespace Gateway.Benchmarks;

/// <summary>
/// An aggregate request end to end through one client connection's HTTP/1.1 loop (in-memory client pipes) to three
/// services on loopback sockets, each answering one ~10 KB JSON body (<see cref="SampleJson"/>), merged whole by name:
/// with the shape (user and orders at once, the latest shipment after orders, from <c>{orders.items[0].id}</c>),
/// and with three independent parts; beside a plain forwarded GET of one ~10 KB body (the baseline).
/// </summary>
[MemoryDiagnoser]
[WarmupCount(20)]
public class AggregateRequestBenchmarks : IDisposable
{
    private const string Config = """
        {
          "clusters": {
            "users": { "destinations": ["{users}"] },
            "orders": { "destinations": ["{orders}"] },
            "shipments": { "destinations": ["{shipments}"] }
          },
          "routes": [
            { "id": "forward", "match": { "path": "/orders/{*rest}" }, "cluster": "orders" },
            { "id": "dashboard", "match": { "path": "/dashboard/{userId}" }, "aggregate": { "parts": {
              "user": { "cluster": "users", "path": "/users/{userId}" },
              "orders": { "cluster": "orders", "path": "/orders?user={userId}" },
              "latest": { "cluster": "shipments", "path": "/shipments/{orders.items[0].id}" } } } },
            { "id": "independent", "match": { "path": "/independent/{userId}" }, "aggregate": { "parts": {
              "user": { "cluster": "users", "path": "/users/{userId}" },
              "orders": { "cluster": "orders", "path": "/orders?user={userId}" },
              "latest": { "cluster": "shipments", "path": "/shipments/o-7-1" } } } }
          ]
        }
        """;

    private static readonly byte[] ForwardRequest = InMemoryConnection.Get("/orders/7");
    private static readonly byte[] DashboardRequest = InMemoryConnection.Get("/dashboard/7");
    private static readonly byte[] IndependentRequest = InMemoryConnection.Get("/independent/7");
    private static readonly byte[] Merged = [.. "{\"user\":"u8, .. SampleJson.User, .. ",\"orders\":"u8, .. SampleJson.Orders, .. ",\"latest\":"u8, .. SampleJson.Shipment, .. "}"u8];
    private readonly LoopbackUpstream _users = new("200 OK", "application/json", SampleJson.User);
    private readonly LoopbackUpstream _orders = new("200 OK", "application/json", SampleJson.Orders);
    private readonly LoopbackUpstream _shipments = new("200 OK", "application/json", SampleJson.Shipment);
    private InMemoryConnection _client = null!;

    /// <summary>Starts the gateway's connection loop and checks each route's answer byte for byte.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _client = new InMemoryConnection(Config.Replace("{users}", _users.Url, StringComparison.Ordinal)
            .Replace("{orders}", _orders.Url, StringComparison.Ordinal)
            .Replace("{shipments}", _shipments.Url, StringComparison.Ordinal));
        foreach (var (request, body) in new[] { (ForwardRequest, SampleJson.Orders), (DashboardRequest, Merged), (IndependentRequest, Merged) })
        {
            var response = _client.ExchangeTextAsync(request, body.Length).GetAwaiter().GetResult();
            if (!response.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal) || !response.EndsWith("\r\n\r\n" + Encoding.ASCII.GetString(body), StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"answered: {response[..Math.Min(response.Length, 400)]}");
            }
        }
    }

    /// <summary>A GET forwarded to the orders service, its ~10 KB answer relayed.</summary>
    [Benchmark(Baseline = true)]
    public Task ForwardOne10KB() => _client.ExchangeAsync(ForwardRequest, SampleJson.Orders.Length);

    /// <summary>The dashboard: user and orders at once, then the latest order's shipment; three ~10 KB parts merged by name.</summary>
    [Benchmark]
    public Task AggregateTwoThenOne() => _client.ExchangeAsync(DashboardRequest, Merged.Length);

    /// <summary>The same three parts, all at once.</summary>
    [Benchmark]
    public Task AggregateThreeAtOnce() => _client.ExchangeAsync(IndependentRequest, Merged.Length);

    /// <inheritdoc/>
    public void Dispose()
    {
        _client.Dispose();
        _users.Dispose();
        _orders.Dispose();
        _shipments.Dispose();
        GC.SuppressFinalize(this);
    }
}
