using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Routing;

namespace Gateway.Benchmarks;

/// <summary>
/// <see cref="RouteTable{TRoute}.Match"/> on a table of 1,000 routes: for each of 250 services a literal, a parameter,
/// a catch-all and a host-restricted route (exact host for even services, <c>*.suffix</c> wildcard for odd ones).
/// Every benchmark here must allocate 0 B per operation, 404 and 405 included.
/// </summary>
public class RouteTableBenchmarks
{
    private const int Services = 250;

    private static readonly byte[] Get = "GET"u8.ToArray();
    private static readonly byte[] Delete = "DELETE"u8.ToArray();
    private static readonly byte[] ApiHost = "api.example.com"u8.ToArray();
    private static readonly byte[] TenantHost = "eu.tenant9.example.com"u8.ToArray();
    private static readonly byte[] LiteralPath = "/svc137/items"u8.ToArray();
    private static readonly byte[] ParameterPath = "/svc137/items/84213"u8.ToArray();
    private static readonly byte[] CatchAllPath = "/svc137/files/docs/2024/q3/report.pdf"u8.ToArray();
    private static readonly byte[] ReportPath = "/svc137/reports/2024-q3"u8.ToArray();
    private static readonly byte[] MissPath = "/svc137/items/84213/history"u8.ToArray();

    private readonly Range[] _parameters = new Range[RouteTable<int>.MaxParameters];
    private RouteTable<int> _table = null!;

    /// <summary>Compiles the table and checks that every benchmark gets the outcome its name says.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var specs = new List<RouteSpec<int>>(Services * 4);
        for (var i = 0; i < Services; i++)
        {
            var tenant = i % 16;
            string[] reportHosts = i % 2 == 0 ? [$"tenant{tenant}.example.com"] : [$"*.tenant{tenant}.example.com"];
            specs.Add(new RouteSpec<int>($"svc{i}-items", $"/svc{i}/items", ["GET", "POST"], [], 0, specs.Count));
            specs.Add(new RouteSpec<int>($"svc{i}-item", $"/svc{i}/items/{{id}}", ["GET", "PUT", "DELETE"], [], 0, specs.Count));
            specs.Add(new RouteSpec<int>($"svc{i}-files", $"/svc{i}/files/{{*rest}}", ["GET"], [], 0, specs.Count));
            specs.Add(new RouteSpec<int>($"svc{i}-reports", $"/svc{i}/reports/{{id}}", ["GET"], reportHosts, 0, specs.Count));
        }

        _table = RouteTable<int>.Build(specs);
        Check(ApiHost, Get, LiteralPath, RouteMatchStatus.Matched, "svc137-items", null);
        Check(ApiHost, Get, ParameterPath, RouteMatchStatus.Matched, "svc137-item", null);
        Check(ApiHost, Get, CatchAllPath, RouteMatchStatus.Matched, "svc137-files", null);
        Check(TenantHost, Get, ReportPath, RouteMatchStatus.Matched, "svc137-reports", null);
        Check(ApiHost, Get, MissPath, RouteMatchStatus.NotFound, null, null);
        Check(ApiHost, Delete, LiteralPath, RouteMatchStatus.MethodNotAllowed, null, "GET, POST");
    }

    /// <summary>GET /svc137/items.</summary>
    [Benchmark(Baseline = true)]
    public RouteMatchStatus LiteralHit() => Match(ApiHost, Get, LiteralPath);

    /// <summary>GET /svc137/items/84213 (one parameter).</summary>
    [Benchmark]
    public RouteMatchStatus ParameterHit() => Match(ApiHost, Get, ParameterPath);

    /// <summary>GET /svc137/files/docs/2024/q3/report.pdf (catch-all over four segments).</summary>
    [Benchmark]
    public RouteMatchStatus CatchAllHit() => Match(ApiHost, Get, CatchAllPath);

    /// <summary>GET /svc137/reports/2024-q3 on eu.tenant9.example.com (wildcard host route).</summary>
    [Benchmark]
    public RouteMatchStatus HostRestrictedHit() => Match(TenantHost, Get, ReportPath);

    /// <summary>GET /svc137/items/84213/history: walks literal and parameter branches, backtracks, 404.</summary>
    [Benchmark]
    public RouteMatchStatus Miss404() => Match(ApiHost, Get, MissPath);

    /// <summary>DELETE /svc137/items: path matches, method does not, 405 with Allow "GET, POST".</summary>
    [Benchmark]
    public RouteMatchStatus MethodNotAllowed405() => Match(ApiHost, Delete, LiteralPath);

    private RouteMatchStatus Match(byte[] host, byte[] method, byte[] path) =>
        _table.Match(host, method, path, _parameters, out _, out _);

    private void Check(byte[] host, byte[] method, byte[] path, RouteMatchStatus status, string? routeId, string? allow)
    {
        var actual = _table.Match(host, method, path, _parameters, out var route, out var actualAllow);
        if (actual != status || route?.Id != routeId || actualAllow != allow)
        {
            throw new InvalidOperationException(
                $"{Encoding.ASCII.GetString(method)} {Encoding.ASCII.GetString(path)}: expected {status} {routeId} {allow}, got {actual} {route?.Id} {actualAllow}.");
        }
    }
}
