namespace Gateway.Core.Configuration;

/// <summary>A CORS policy as written: which origins may call a route from a browser, with what, and what they may read.</summary>
public sealed record CorsPolicyConfig
{
    /// <summary>Origins allowed: exact (<c>https://app.example.com</c>), one wildcard label (<c>https://*.example.com</c>), or <c>*</c> alone.</summary>
    public List<string> Origins { get; set; } = [];

    /// <summary>Methods a cross-origin request may use; empty allows the CORS-safelisted GET, HEAD and POST.</summary>
    public List<string> Methods { get; set; } = [];

    /// <summary>Request fields a cross-origin request may send beyond the CORS-safelisted ones.</summary>
    public List<string> Headers { get; set; } = [];

    /// <summary>Response fields a cross-origin caller may read beyond the CORS-safelisted ones.</summary>
    public List<string> ExposeHeaders { get; set; } = [];

    /// <summary>Whether cross-origin requests may carry cookies and credentials (never with the <c>*</c> origin).</summary>
    public bool Credentials { get; set; }

    /// <summary>How long a browser may keep a preflight's answer (e.g. "10m"); null leaves it to the browser.</summary>
    public string? MaxAge { get; set; }
}
