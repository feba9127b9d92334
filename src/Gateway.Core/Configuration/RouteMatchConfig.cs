namespace Gateway.Core.Configuration;

/// <summary>What a request must look like to match a route: path template, and optionally methods and hosts.</summary>
public sealed record RouteMatchConfig
{
    /// <summary>Path template such as <c>/users/{id}</c> or <c>/files/{*rest}</c>; starts with '/'.</summary>
    public string Path { get; set; } = "";

    /// <summary>Allowed HTTP methods; empty allows any method.</summary>
    public List<string> Methods { get; set; } = [];

    /// <summary>Allowed hosts (<c>api.example.com</c> or <c>*.example.com</c>, no port); empty allows any host.</summary>
    public List<string> Hosts { get; set; } = [];
}
