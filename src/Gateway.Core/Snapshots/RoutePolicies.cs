using Gateway.Core.Authentication;
using Gateway.Core.Caching;
using Gateway.Core.Policies;

namespace Gateway.Core.Snapshots;

/// <summary>
/// The policies a snapshot's routes draw on, compiled once: the gateway's own IP filter, the identity fields every route
/// takes out of requests, and the authenticators, CORS and rate-limit policies and caches by name.
/// </summary>
/// <param name="GatewayFilter">The top-level <c>ipFilter</c>, which every route applies; null when there is none.</param>
/// <param name="IdentityFields">The field names any route's <c>identityHeaders</c> names; every route removes them from requests.</param>
/// <param name="Authenticators">The authentication entries by name.</param>
/// <param name="Cors">The CORS policies by name.</param>
/// <param name="RateLimits">The rate-limit policies by name.</param>
/// <param name="Caches">The response caches by name.</param>
internal sealed record RoutePolicies(
    IpFilter? GatewayFilter, byte[][] IdentityFields, Dictionary<string, IAuthenticator> Authenticators, Dictionary<string, CorsPolicy> Cors,
    Dictionary<string, ConfiguredRateLimit> RateLimits, Dictionary<string, ResponseCache> Caches);
