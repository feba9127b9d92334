using System.Text.Json;
using Gateway.Core.Pipeline;
using Gateway.Core.Routing;
using Gateway.Core.Snapshots;

namespace Gateway.Host.Admin;

/// <summary><c>GET /routes</c>: the running snapshot's frontends, and each route with its match, handler, steps and cluster.</summary>
internal static class RouteListing
{
    /// <summary>Writes the frontends and every route of <paramref name="routes"/>, the default frontend's first.</summary>
    public static void Write(Utf8JsonWriter json, FrontendRoutes<GatewayRoute> routes)
    {
        json.WriteStartObject();
        json.WriteStartArray("frontends"u8);
        foreach (var frontend in routes.Frontends)
        {
            json.WriteStartObject();
            json.WriteString("name"u8, frontend.Name);
            json.WriteBoolean("ownListeners"u8, frontend.HasListeners);
            WriteStrings(json, "hosts", frontend.Hosts);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("routes"u8);
        foreach (var (frontend, table) in routes.Frontends.Select(f => ((string?)f.Name, f.Routes)).Prepend((null, routes.Default)))
        {
            foreach (var route in table.Routes)
            {
                json.WriteStartObject();
                json.WriteString("id"u8, route.Id);
                json.WriteString("frontend"u8, frontend);
                json.WriteStartObject("match"u8);
                json.WriteString("path"u8, route.Path);
                WriteStrings(json, "methods", route.Methods);
                WriteStrings(json, "hosts", route.Hosts);
                json.WriteNumber("order"u8, route.Order);
                json.WriteEndObject();
                WriteDescription(json, RouteDescription.Of(route.Value));
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Writes the members <c>handler</c>, <c>steps</c> and <c>cluster</c> of a route's <paramref name="description"/>.</summary>
    public static void WriteDescription(Utf8JsonWriter json, RouteDescription description)
    {
        json.WriteStartObject("handler"u8);
        if (description.Respond is { } status)
        {
            json.WriteNumber("respond"u8, status);
        }
        else if (description.Aggregate is { } parts)
        {
            WriteStrings(json, "aggregate", parts);
        }
        else
        {
            json.WriteString("cluster"u8, description.Cluster);
        }

        json.WriteEndObject();
        WriteStrings(json, "steps", description.Steps);
        json.WriteString("cluster"u8, description.Cluster);
    }

    /// <summary>Writes <paramref name="values"/> as the array member <paramref name="name"/>.</summary>
    public static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
