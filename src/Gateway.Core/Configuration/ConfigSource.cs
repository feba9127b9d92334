namespace Gateway.Core.Configuration;

/// <summary>
/// Where the running configuration comes from, read afresh at start and on every reload: a file with the environment's
/// cluster overrides (and the GATEWAY_UPSTREAM quick start added, when set), the quick start alone, or a fixed
/// configuration (tests, embedding).
/// </summary>
public sealed class ConfigSource
{
    private readonly Func<GatewayConfig> _load;

    private ConfigSource(string name, string? filePath, Func<GatewayConfig> load)
    {
        Name = name;
        FilePath = filePath;
        _load = load;
    }

    /// <summary>How errors and logs name the source: the file path, "GATEWAY_UPSTREAM", or both.</summary>
    public string Name { get; }

    /// <summary>The file the configuration is read from (and a watcher follows), or null.</summary>
    public string? FilePath { get; }

    /// <summary>
    /// The configuration of <paramref name="path"/> when given, with the <paramref name="upstream"/> quick start added when
    /// given (one of the two is required), then GATEWAY_CLUSTER_*_DESTINATIONS applied: one naming no cluster is refused.
    /// </summary>
    public static ConfigSource From(string? path, string? upstream, Func<string, string?> getEnv, IEnumerable<string> variableNames)
    {
        if (path is null && upstream is null)
        {
            throw new ArgumentException("a configuration file or an upstream URL is needed");
        }

        var names = variableNames.ToList();
        return new ConfigSource(
            path is null ? "GATEWAY_UPSTREAM" : upstream is null ? path : path + " + GATEWAY_UPSTREAM",
            path,
            () =>
            {
                var file = path is null ? null : ConfigLoader.LoadFile(path);
                return ConfigLoader.ApplyEnvironment(upstream is null ? file! : ConfigLoader.ForUpstream(upstream, file), getEnv, names);
            });
    }

    /// <summary>A configuration that never changes, named <paramref name="name"/>.</summary>
    public static ConfigSource Fixed(GatewayConfig config, string name) => new(name, null, () => config);

    /// <summary>Reads and validates the configuration; throws <see cref="ConfigException"/> naming the file (or variable), the JSON path and what is wrong.</summary>
    public GatewayConfig Load() => _load();
}
