namespace Gateway.Core.Configuration;

/// <summary>A route's header transforms: on the request toward the upstream, and on every response toward the client.</summary>
public sealed record TransformsConfig
{
    /// <summary>Edits to the request the upstream gets; null changes none.</summary>
    public HeaderTransformConfig? Request { get; set; }

    /// <summary>Edits to the responses the client gets (the route's every response, the gateway's own answers included); null changes none.</summary>
    public HeaderTransformConfig? Response { get; set; }
}
