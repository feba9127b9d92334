using System.Text;
using System.Text.Json;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;
using Gateway.Core.Routing;
using Gateway.Core.Snapshots;
using Microsoft.AspNetCore.Http;

namespace Gateway.Host.Admin;

/// <summary>
/// <c>GET /explain?method=&amp;host=&amp;path=[&amp;listener=FRONTEND]</c>: the route a request would take, found as the
/// gateway finds it (same path normalization, same table), with its parameters, steps and destinations, and why each other
/// route whose template matches the path loses; or why none matches. Nothing is sent upstream.
/// </summary>
internal static class RouteExplainer
{
    /// <summary>Answers the explain request in <paramref name="context"/> from <paramref name="snapshot"/>; a missing or bad parameter is a 400 problem.</summary>
    public static Task AnswerAsync(HttpContext context, GatewaySnapshot snapshot)
    {
        var query = context.Request.Query;
        string method = query["method"].ToString(), path = query["path"].ToString(), listener = query["listener"].ToString();
        var host = new HostString(query["host"].ToString()).Host;
        if (method.Length == 0 || !method.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
        {
            return AdminEndpoints.WriteProblemAsync(context, StatusCodes.Status400BadRequest, "\"method\" must be a request method such as GET.");
        }

        var bytes = Encoding.UTF8.GetBytes(path.Split('?')[0]);
        if (bytes.Length == 0 || bytes[0] != '/' || PathNormalization.Normalize(bytes, out var length) != PathNormalization.Outcome.Normalized)
        {
            return AdminEndpoints.WriteProblemAsync(
                context, StatusCodes.Status400BadRequest, "\"path\" must be a request path starting with '/', without encoded '/', '\\' or NUL and with valid escapes.");
        }

        int listenerNumber;
        try
        {
            listenerNumber = snapshot.Routes.ListenerOf(listener.Length == 0 ? null : listener);
        }
        catch (ArgumentException ex)
        {
            return AdminEndpoints.WriteProblemAsync(context, StatusCodes.Status400BadRequest, $"\"listener\": {ex.Message}.");
        }

        var request = new Request(method, host, Encoding.UTF8.GetString(bytes, 0, length), listener.Length == 0 ? null : listener);
        var table = snapshot.Routes.For(listenerNumber, Encoding.ASCII.GetBytes(host));
        return AdminEndpoints.WriteJsonAsync(context, StatusCodes.Status200OK, json => Write(json, request, table, FrontendOf(snapshot.Routes, table, request.Listener), snapshot));
    }

    private static string? FrontendOf(FrontendRoutes<GatewayRoute> routes, RouteTable<GatewayRoute> table, string? listener) =>
        ReferenceEquals(table, routes.Default) ? null : routes.Frontends.FirstOrDefault(frontend => ReferenceEquals(frontend.Routes, table))?.Name ?? listener;

    private static void Write(Utf8JsonWriter json, Request request, RouteTable<GatewayRoute> table, string? frontend, GatewaySnapshot snapshot)
    {
        var parameters = new Range[RouteTable<GatewayRoute>.MaxParameters];
        var path = Encoding.UTF8.GetBytes(request.Path);
        var status = table.Match(Encoding.ASCII.GetBytes(request.Host), Encoding.ASCII.GetBytes(request.Method), path, parameters, out var route, out var allow);
        json.WriteStartObject();
        json.WriteString("method"u8, request.Method);
        json.WriteString("host"u8, request.Host);
        json.WriteString("path"u8, request.Path);
        json.WriteString("frontend"u8, frontend);
        json.WriteString("match"u8, status switch
        {
            RouteMatchStatus.Matched => "matched",
            RouteMatchStatus.MethodNotAllowed => "methodNotAllowed",
            _ => "notFound",
        });
        if (route is not null)
        {
            WriteRoute(json, route, path, parameters, snapshot);
        }
        else
        {
            json.WriteNumber("status"u8, status == RouteMatchStatus.MethodNotAllowed ? 405 : 404);
            json.WriteString("detail"u8, status == RouteMatchStatus.MethodNotAllowed
                ? $"Routes match the host and path, but none accepts {request.Method}; they allow {allow}."
                : "No route's path template (for this host) matches the path.");
            if (allow is not null)
            {
                json.WriteString("allow"u8, allow);
            }
        }

        var contenders = table.Contenders(request.Host, request.Method, request.Path);
        var winner = contenders.FirstOrDefault(contender => contender.Route == route);
        json.WriteStartArray("candidates"u8);
        foreach (var contender in contenders)
        {
            json.WriteStartObject();
            json.WriteString("route"u8, contender.Route.Id);
            json.WriteString("path"u8, contender.Route.Path);
            json.WriteBoolean("wins"u8, contender == winner);
            json.WriteString("reason"u8, ReasonFor(contender, winner, request));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRoute(Utf8JsonWriter json, RouteEntry<GatewayRoute> route, byte[] path, Range[] parameters, GatewaySnapshot snapshot)
    {
        json.WriteString("route"u8, route.Id);
        json.WriteStartObject("params"u8);
        for (var i = 0; i < route.ParameterNames.Count; i++)
        {
            json.WriteString(route.ParameterNames[i], Encoding.UTF8.GetString(path.AsSpan(parameters[i])));
        }

        json.WriteEndObject();
        var description = RouteDescription.Of(route.Value);
        RouteListing.WriteDescription(json, description);

        // Picking a destination moves the balancer (round-robin counters), so the destinations it would pick among are listed instead.
        if (description.Cluster is { } cluster && snapshot.Clusters.TryGetValue(cluster, out var serving))
        {
            RouteListing.WriteStrings(json, "destinations", serving.Available.Members.Select(destination => destination.Address));
        }
    }

    /// <summary>Why <paramref name="contender"/> wins or loses against <paramref name="winner"/> (null when no route matched).</summary>
    private static string ReasonFor(RouteContender<GatewayRoute> contender, RouteContender<GatewayRoute>? winner, Request request)
    {
        var route = contender.Route;
        return contender == winner ? "the most specific path template for this host that accepts the method"
            : contender.HostRank < 0 ? $"its hosts ({string.Join(", ", route.Hosts)}) do not match host \"{request.Host}\""
            : !contender.AcceptsMethod ? $"it accepts {string.Join(", ", route.Methods)}, not {request.Method}"
            : winner is null ? "it matches"
            : contender.PathRank > winner.PathRank ? $"\"{winner.Route.Path}\" is more specific (a literal segment beats a parameter, a parameter a catch-all)"
            : contender.HostRank > winner.HostRank ? $"\"{winner.Route.Id}\" names a more specific host ({string.Join(", ", winner.Route.Hosts)})"
            : $"its order {route.Order} is after {winner.Route.Order}: the lower order wins";
    }

    /// <summary>The request to explain, its path normalized as the gateway normalizes it.</summary>
    private sealed record Request(string Method, string Host, string Path, string? Listener);
}
