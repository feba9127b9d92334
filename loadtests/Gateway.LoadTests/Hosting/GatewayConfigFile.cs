using System.Text.Json.Nodes;
using Gateway.LoadTests.Scenarios;

namespace Gateway.LoadTests.Hosting;

/// <summary>Writes the gateway configuration for a scenario: its routes and policies, and one cluster <c>upstream</c> at the runner's upstream.</summary>
internal static class GatewayConfigFile
{
    /// <summary>The configuration as JSON text.</summary>
    public static string Build(GatewaySetup setup, Uri upstream)
    {
        var config = new JsonObject
        {
            ["routes"] = JsonNode.Parse(setup.Routes),
            ["clusters"] = new JsonObject
            {
                ["upstream"] = new JsonObject { ["destinations"] = new JsonArray(upstream.GetLeftPart(UriPartial.Authority)) },
            },
        };
        if (setup.RateLimits is { } rateLimits)
        {
            config["rateLimits"] = JsonNode.Parse(rateLimits);
        }

        if (setup.Caches is { } caches)
        {
            config["caches"] = JsonNode.Parse(caches);
        }

        if (setup.Authentication is { } authentication)
        {
            config["authentication"] = JsonNode.Parse(authentication);
        }

        return config.ToJsonString(new() { WriteIndented = true });
    }
}
