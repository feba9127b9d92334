namespace Gateway.Core.Configuration;

/// <summary>One way to authenticate callers, named in "authentication" for routes to reference: JWT bearer tokens or API keys (one of them).</summary>
public sealed record AuthenticationConfig
{
    /// <summary>JWT bearer tokens in the Authorization field.</summary>
    public JwtConfig? Jwt { get; set; }

    /// <summary>API keys sent in a header or a query parameter, each naming a consumer.</summary>
    public ApiKeyConfig? ApiKey { get; set; }
}
