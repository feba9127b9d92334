namespace Gateway.Core.Configuration;

/// <summary>One way to authenticate callers, named in "authentication" for routes to reference: for now API keys.</summary>
public sealed record AuthenticationConfig
{
    /// <summary>API keys sent in a header or a query parameter, each naming a consumer.</summary>
    public ApiKeyConfig? ApiKey { get; set; }
}
