namespace Gateway.Core.Configuration;

/// <summary>An aggregate route's handler as written: named parts called upstream (at once, unless one uses another's fields) and merged into one JSON answer.</summary>
public sealed record AggregateConfig
{
    /// <summary>The parts by name; a part's name is its member in the answer.</summary>
    public Dictionary<string, AggregatePartConfig> Parts { get; set; } = [];

    /// <summary>The longest the whole composition may take (e.g. "2s"); null leaves each part to its own timeout.</summary>
    public string? Timeout { get; set; }

    /// <summary>How the parts' JSON is put together: each under its name, or their members merged into one object.</summary>
    public AggregateMerge Merge { get; set; } = AggregateMerge.ByName;
}
