using Gateway.Core.Configuration;
using Gateway.Core.Snapshots;

namespace Gateway.Host.Commands;

/// <summary>The commands that read a configuration without serving it: <c>validate</c> and <c>routes</c>.</summary>
/// <remarks>A bad configuration throws the <see cref="ConfigException"/> that start-up would, with every error the validator found.</remarks>
internal static class ConfigCommands
{
    /// <summary>
    /// Loads, checks and compiles the configuration of <paramref name="source"/> as start-up does (templates, route
    /// ambiguity, certificates and key files included) without binding a listener or connecting to Redis, then prints one OK line.
    /// </summary>
    public static void Validate(GatewaySettings settings, ConfigSource source, TextWriter output)
    {
        var config = source.Load();
        settings.CheckListeners(config, source.Name);
        var services = new SnapshotServices { RedisStore = settings.Redis is null ? null : new UnconnectedRedisStore() };
        SnapshotCompiler.Compile(config, settings.UpstreamDefaults, source.Name, services).Dispose();
        output.WriteLine($"{source.Name}: OK ({Count(config.Routes.Count, "route")}, {Count(config.Clusters.Count, "cluster")})");
    }

    /// <summary>Loads the configuration of <paramref name="source"/> and prints its route table.</summary>
    public static void Routes(ConfigSource source, TextWriter output) => RouteTable.Write(source.Load(), output);

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
