using System.Security.Cryptography;
using System.Text.Json;

namespace Gateway.Core.Configuration;

/// <summary>A short hash of a configuration as the gateway read it (the file and the environment's overrides): equal configurations, equal versions.</summary>
public static class ConfigVersion
{
    /// <summary>The first 16 hex digits of the SHA-256 of <paramref name="config"/> written as JSON.</summary>
    public static string Of(GatewayConfig config)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(config, ConfigJsonContext.Default.GatewayConfig);
        return Convert.ToHexStringLower(SHA256.HashData(json))[..16];
    }
}
