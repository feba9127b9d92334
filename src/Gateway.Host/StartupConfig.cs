using Gateway.Core.Configuration;

namespace Gateway.Host;

/// <summary>Chooses and loads the configuration to start with: the file, the GATEWAY_UPSTREAM quick start, or the demo's gateway.json.</summary>
internal static class StartupConfig
{
    /// <summary>The validated configuration and a name for where it came from.</summary>
    public static (GatewayConfig Config, string Source) Load(GatewaySettings settings, Func<string, string?> getEnv, IEnumerable<string> variableNames)
    {
        if (settings.ConfigPath is null && settings.Upstream is null)
        {
            var demo = Path.Combine(AppContext.BaseDirectory, "gateway.json");
            return (ConfigLoader.ApplyEnvironment(ConfigLoader.LoadFile(demo), getEnv, variableNames), demo);
        }

        var file = settings.ConfigPath is null ? null : ConfigLoader.ApplyEnvironment(ConfigLoader.LoadFile(settings.ConfigPath), getEnv, variableNames);
        if (settings.Upstream is null)
        {
            return (file!, settings.ConfigPath!);
        }

        var config = ConfigLoader.ForUpstream(settings.Upstream, file);
        return (config, settings.ConfigPath is null ? "GATEWAY_UPSTREAM" : settings.ConfigPath + " + GATEWAY_UPSTREAM");
    }
}
