namespace Gateway.Core.Caching;

/// <summary>What the response rules decided about a response that may be stored: how long it is fresh, how old it already is, how it may be served stale, and what it varies on.</summary>
/// <param name="Lifetime">The freshness lifetime in seconds.</param>
/// <param name="InitialAge">Its age when received, in seconds.</param>
/// <param name="StaleWhileRevalidate">Seconds past freshness it may be served while refreshed in the background.</param>
/// <param name="StaleIfError">Seconds past freshness it may be served when the upstream fails.</param>
/// <param name="MustRevalidate">True when it must never be served stale.</param>
/// <param name="Vary">The request fields it varies on, with the values of the request that fetched it.</param>
internal sealed record StoragePlan(double Lifetime, double InitialAge, double StaleWhileRevalidate, double StaleIfError, bool MustRevalidate, VaryValues Vary);
