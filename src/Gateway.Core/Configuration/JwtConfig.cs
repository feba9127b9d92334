namespace Gateway.Core.Configuration;

/// <summary>JWT bearer tokens as configured: who issues them, for whom, signed how, and where the public keys come from.</summary>
public sealed record JwtConfig
{
    /// <summary>The issuer every token's <c>iss</c> must equal.</summary>
    public string? Issuer { get; set; }

    /// <summary>The audiences one of which a token's <c>aud</c> must name.</summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>The identity provider's JSON Web Key Set URL (fetched at start, refreshed every 5 minutes and on an unknown <c>kid</c>).</summary>
    public string? JwksUrl { get; set; }

    /// <summary>PEM files of public keys (RSA or EC), relative to the configuration file's folder; instead of <see cref="JwksUrl"/>.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>The signing algorithms accepted (RS256, ES256, ...); asymmetric only.</summary>
    public List<string> Algorithms { get; set; } = [];

    /// <summary>How far expiry and not-before may be off (e.g. "30s"); default 30 s.</summary>
    public string? ClockSkew { get; set; }
}
