namespace Gateway.Core.Configuration;

/// <summary>One direction's header edits: fields set (replacing any of that name) and fields removed.</summary>
public sealed record HeaderTransformConfig
{
    /// <summary>Fields to set, by name; values may use the route's parameters in braces (<c>{id}</c>).</summary>
    public Dictionary<string, string> Set { get; set; } = [];

    /// <summary>Names of fields to remove.</summary>
    public List<string> Remove { get; set; } = [];
}
