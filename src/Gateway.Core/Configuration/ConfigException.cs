namespace Gateway.Core.Configuration;

/// <summary>A configuration error that names where it is (file, JSON path or variable) and what is wrong.</summary>
public sealed class ConfigException(string source, string location, string reason)
    : Exception($"{source}: {location}: {reason}")
{
    /// <summary>The file path, or "environment".</summary>
    public string Origin { get; } = source;

    /// <summary>The JSON path (e.g. <c>$.routes[2].match.path</c>) or the variable name.</summary>
    public string Location { get; } = location;

    /// <summary>What is wrong, in words.</summary>
    public string Reason { get; } = reason;

    /// <summary>Every error found in the same check, this one's first; just this one unless the validator found several.</summary>
    public IReadOnlyList<ConfigException> All { get => field ?? [this]; init; }
}
