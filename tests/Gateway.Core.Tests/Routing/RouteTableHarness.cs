using System.Text;
using Gateway.Core.Routing;

namespace Gateway.Core.Tests.Routing;

/// <summary>Builds route tables from short route descriptions and matches requests given as strings.</summary>
internal static class RouteTableHarness
{
    /// <summary>A route whose value is its id.</summary>
    public static RouteSpec<string> Route(string id, string path, string[]? methods = null, string[]? hosts = null, int order = 0) =>
        new(id, path, methods ?? [], hosts ?? [], order, id);

    public static RouteTable<string> Table(params RouteSpec<string>[] routes) => RouteTable<string>.Build(routes);

    /// <summary>Matches a request and turns the result into strings: the route id, the parameters by name, the Allow value.</summary>
    public static MatchOutcome Find(this RouteTable<string> table, string method, string path, string host = "")
    {
        var pathBytes = Encoding.ASCII.GetBytes(path);
        var ranges = new Range[RouteTable<string>.MaxParameters];
        var status = table.Match(Encoding.ASCII.GetBytes(host), Encoding.ASCII.GetBytes(method), pathBytes, ranges, out var route, out var allow);
        var parameters = new Dictionary<string, string>();
        if (route is not null)
        {
            for (var i = 0; i < route.ParameterNames.Count; i++)
            {
                parameters[route.ParameterNames[i]] = Encoding.ASCII.GetString(pathBytes[ranges[i]]);
            }
        }

        return new MatchOutcome(status, route?.Id, parameters, allow);
    }

    /// <summary>Asserts that the request matched route <paramref name="id"/>; returns its parameters.</summary>
    public static Dictionary<string, string> AssertMatches(this RouteTable<string> table, string id, string method, string path, string host = "")
    {
        var outcome = table.Find(method, path, host);
        Assert.Equal((RouteMatchStatus.Matched, id), (outcome.Status, outcome.RouteId));
        Assert.Null(outcome.Allow);
        return outcome.Parameters;
    }

    public static void AssertNotFound(this RouteTable<string> table, string method, string path, string host = "")
    {
        var outcome = table.Find(method, path, host);
        Assert.Equal((RouteMatchStatus.NotFound, (string?)null, (string?)null), (outcome.Status, outcome.RouteId, outcome.Allow));
    }

    /// <summary>Asserts that Build rejects route <paramref name="index"/> in <paramref name="field"/>; returns the message.</summary>
    public static string AssertRejected(int index, string field, params RouteSpec<string>[] routes)
    {
        var error = Assert.Throws<RouteBuildException>(() => Table(routes));
        Assert.Equal((index, field), (error.RouteIndex, error.Field));
        return error.Message;
    }
}

/// <summary>The result of <see cref="RouteTableHarness.Find"/>, as strings.</summary>
internal sealed record MatchOutcome(RouteMatchStatus Status, string? RouteId, Dictionary<string, string> Parameters, string? Allow);
