using Gateway.Core.Configuration;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>Gateway configurations for the tests, written as the JSON a user would write and read through the real loader.</summary>
internal static class Configs
{
    /// <summary>Parses and validates <paramref name="json"/> as a configuration file would be.</summary>
    public static GatewayConfig Parse(string json) => ConfigLoader.Parse(json, "e2e.json");

    /// <summary>One catch-all route to a cluster with the single <paramref name="destination"/> and an optional upstream timeout.</summary>
    public static GatewayConfig CatchAll(string destination, string? timeout = null) => Parse($$"""
        {
          "routes": [ { "id": "all", "match": { "path": "/{*path}" }, "cluster": "main" } ],
          "clusters": { "main": { "destinations": [ "{{destination}}" ]{{(timeout is null ? "" : $", \"timeout\": \"{timeout}\"")}} } }
        }
        """);
}
