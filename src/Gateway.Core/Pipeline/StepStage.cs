namespace Gateway.Core.Pipeline;

/// <summary>
/// Where a step runs among a route's steps. The order is fixed, the way Kong orders plugins by priority, so no
/// configuration has to get it right: cheap refusals come before costly checks (a flood of bad tokens is throttled before
/// any signature is verified), and the cache is consulted only for a caller that may see the answer.
/// </summary>
public enum StepStage
{
    /// <summary>Identity fields the client sent, taken out before anything else (authentication sets the real ones).</summary>
    IdentityFields,

    /// <summary>The route's header transforms: first on the request, so their response edits apply last, to every response.</summary>
    Transforms,

    /// <summary>Allowing or denying client addresses.</summary>
    IpFilter,

    /// <summary>Cross-origin requests and preflights.</summary>
    Cors,

    /// <summary>Rate limits keyed without identity: client address, route, header, global.</summary>
    RateLimit,

    /// <summary>Who the caller is (tokens, API keys).</summary>
    Authentication,

    /// <summary>What the caller may do (scopes, roles, claims).</summary>
    Authorization,

    /// <summary>Rate limits keyed on identity: consumer, claim.</summary>
    IdentityRateLimit,

    /// <summary>Answering from the response cache.</summary>
    CacheLookup,
}
