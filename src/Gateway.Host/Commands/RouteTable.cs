using Gateway.Core.Configuration;
using Gateway.Core.Docs;

namespace Gateway.Host.Commands;

/// <summary>
/// The route table of a configuration as <c>gateway routes</c> prints it: one line per route, in file order, with its
/// frontend, id, methods, hosts, path template, handler and steps (in the order they run), in aligned columns.
/// </summary>
internal static class RouteTable
{
    private static readonly string[] Header = ["FRONTEND", "ROUTE", "METHODS", "HOSTS", "PATH", "HANDLER", "STEPS"];

    /// <summary>Writes the table of <paramref name="config"/>'s routes to <paramref name="output"/>.</summary>
    public static void Write(GatewayConfig config, TextWriter output)
    {
        List<string[]> rows = [Header, .. config.Routes.Select(Row)];
        var widths = Enumerable.Range(0, Header.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }
    }

    private static string[] Row(RouteConfig route) =>
    [
        route.Frontend ?? "-",
        route.Id,
        List(route.Match.Methods, "*"),
        List(route.Match.Hosts, "*"),
        route.Match.Path,
        Handler(route),
        string.Join(' ', RouteSteps.Of(route.Policies).DefaultIfEmpty("-")),
    ];

    /// <summary>The handler: <c>cluster NAME</c>, <c>respond STATUS</c>, or <c>aggregate</c> with each part as <c>NAME=CLUSTER METHOD PATH</c>.</summary>
    private static string Handler(RouteConfig route) =>
        route.Aggregate is { } aggregate
            ? $"aggregate {string.Join(", ", aggregate.Parts.Select(part => $"{part.Key}={part.Value.Cluster} {part.Value.Method} {part.Value.Path}"))}"
            : route.Respond is { } respond ? $"respond {respond.Status}" : $"cluster {route.Cluster}";

    private static string List(List<string> items, string none) => items.Count == 0 ? none : string.Join(',', items);
}
