namespace Gateway.Core.Configuration;

/// <summary>The <c>Strict-Transport-Security</c> field (RFC 6797) the gateway sends on responses over TLS.</summary>
public sealed record HstsConfig
{
    /// <summary>How long browsers keep to HTTPS for the host, e.g. "8760h" (a year) or a number of seconds.</summary>
    public string MaxAge { get; set; } = "8760h";

    /// <summary>Whether the rule covers every subdomain too.</summary>
    public bool IncludeSubDomains { get; set; }

    /// <summary>Whether to ask for the browsers' preload lists (needs <see cref="IncludeSubDomains"/> and a year or more).</summary>
    public bool Preload { get; set; }
}
