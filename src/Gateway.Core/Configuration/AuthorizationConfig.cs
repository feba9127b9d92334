namespace Gateway.Core.Configuration;

/// <summary>What an authenticated caller of a route must hold, as written: scopes, a role, claim values; all that are given must hold.</summary>
public sealed record AuthorizationConfig
{
    /// <summary>Scopes the caller's token must all carry (in <c>scope</c>, space-separated, or <c>scp</c>).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Roles of which the caller's token must carry at least one (in <c>roles</c> or <c>role</c>).</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>Claims by name, each of whose value must be one of those listed.</summary>
    public Dictionary<string, List<string>> Claims { get; set; } = [];
}
