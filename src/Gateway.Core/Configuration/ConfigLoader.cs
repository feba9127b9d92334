using System.Text.Json;

namespace Gateway.Core.Configuration;

/// <summary>Reads the configuration file, validates it, and applies the environment overrides and the GATEWAY_UPSTREAM quick start.</summary>
public static class ConfigLoader
{
    private const string EnvironmentSource = "environment";
    private const string DestinationsPrefix = "GATEWAY_CLUSTER_";
    private const string DestinationsSuffix = "_DESTINATIONS";
    private const string UpstreamVariable = "GATEWAY_UPSTREAM";
    private const string UpstreamName = "upstream";

    /// <summary>Reads, parses and validates the file at <paramref name="path"/>; every error names the file.</summary>
    public static GatewayConfig LoadFile(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigException(path, "$", "file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigException(path, "$", $"cannot read the file: {e.Message}");
        }

        return Parse(json, path);
    }

    /// <summary>Parses and validates <paramref name="json"/>; <paramref name="source"/> names it in errors (usually the file path).</summary>
    public static GatewayConfig Parse(string json, string source)
    {
        GatewayConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(json, ConfigJsonContext.Default.GatewayConfig);
        }
        catch (JsonException e)
        {
            throw ConfigJson.ToConfigException(e, source);
        }

        if (config is null)
        {
            throw new ConfigException(source, "$", "expected an object with \"routes\" and \"clusters\", got null");
        }

        ConfigValidator.Validate(config, source);
        return config;
    }

    /// <summary>
    /// Returns <paramref name="config"/> with each cluster's destinations replaced by <c>GATEWAY_CLUSTER_&lt;ID&gt;_DESTINATIONS</c>
    /// when that variable is set and not blank (URLs separated by ';'; ID is the cluster name upper-cased with every character
    /// other than an ASCII letter or digit made '_'). Pass <paramref name="variableNames"/> (the names of all variables set)
    /// to have such a variable that names no cluster rejected: without the names it cannot be found.
    /// </summary>
    public static GatewayConfig ApplyEnvironment(
        GatewayConfig config, Func<string, string?> getEnv, IEnumerable<string>? variableNames = null)
    {
        var clusters = new Dictionary<string, ClusterConfig>(config.Clusters);
        foreach (var group in config.Clusters.Keys.GroupBy(DestinationsVariable))
        {
            var value = getEnv(group.Key);
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            var names = group.ToList();
            if (names.Count > 1)
            {
                throw new ConfigException(EnvironmentSource, group.Key, $"names more than one cluster ({ConfigJson.Quoted(names)}); rename one of them");
            }

            clusters[names[0]] = config.Clusters[names[0]] with { Destinations = ParseDestinations(group.Key, value) };
        }

        var unknown = (variableNames ?? []).FirstOrDefault(name => IsDestinationsVariable(name)
            && !clusters.Keys.Any(cluster => DestinationsVariable(cluster) == name) && !string.IsNullOrWhiteSpace(getEnv(name)));
        if (unknown is not null)
        {
            var defined = clusters.Count == 0 ? "none" : ConfigJson.Quoted(clusters.Keys);
            throw new ConfigException(EnvironmentSource, unknown, $"no cluster has this variable's name (clusters: {defined})");
        }

        return config with { Routes = [.. config.Routes], Clusters = clusters };
    }

    /// <summary>
    /// The quick start: a catch-all route "upstream" (<c>/{*path}</c>) to a cluster "upstream" with the one destination
    /// <paramref name="upstreamUrl"/>, added after the routes and clusters of <paramref name="fileConfig"/> when there is one.
    /// </summary>
    public static GatewayConfig ForUpstream(string upstreamUrl, GatewayConfig? fileConfig)
    {
        if (DestinationUrl.FindProblem(upstreamUrl) is { } problem)
        {
            throw new ConfigException(EnvironmentSource, UpstreamVariable, problem);
        }

        var file = fileConfig ?? new GatewayConfig();
        if (file.Routes.Any(r => r.Id == UpstreamName) || file.Clusters.ContainsKey(UpstreamName))
        {
            throw new ConfigException(EnvironmentSource, UpstreamVariable,
                "the configuration file already has a route or cluster named \"upstream\"; rename it to use GATEWAY_UPSTREAM with it");
        }

        var route = new RouteConfig { Id = UpstreamName, Match = new RouteMatchConfig { Path = "/{*path}" }, Cluster = UpstreamName };
        var cluster = new ClusterConfig { Destinations = [new DestinationConfig { Url = upstreamUrl }] };
        return file with
        {
            Routes = [.. file.Routes, route],
            Clusters = new Dictionary<string, ClusterConfig>(file.Clusters) { [UpstreamName] = cluster },
        };
    }

    /// <summary>Reads a ';'-separated list of destination URLs from <paramref name="variable"/>, checking each.</summary>
    private static List<DestinationConfig> ParseDestinations(string variable, string value)
    {
        var destinations = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (destinations.Length == 0)
        {
            throw new ConfigException(EnvironmentSource, variable, "expected one or more destination URLs separated by ';'");
        }

        foreach (var destination in destinations)
        {
            if (DestinationUrl.FindProblem(destination) is { } problem)
            {
                throw new ConfigException(EnvironmentSource, variable, problem);
            }
        }

        return [.. destinations.Select(url => new DestinationConfig { Url = url })];
    }

    private static bool IsDestinationsVariable(string name) =>
        name.StartsWith(DestinationsPrefix, StringComparison.Ordinal) && name.EndsWith(DestinationsSuffix, StringComparison.Ordinal);

    /// <summary>The variable that overrides a cluster's destinations: <c>GATEWAY_CLUSTER_&lt;ID&gt;_DESTINATIONS</c>.</summary>
    internal static string DestinationsVariable(string clusterName) =>
        $"{DestinationsPrefix}{string.Concat(clusterName.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_'))}{DestinationsSuffix}";
}
