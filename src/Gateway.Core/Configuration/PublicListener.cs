namespace Gateway.Core.Configuration;

/// <summary>A public listener to bind: its URL as configured, the address it binds, and the frontend it serves.</summary>
/// <param name="Url">The URL as written in the file or GATEWAY_LISTEN.</param>
/// <param name="Address">The endpoint and scheme.</param>
/// <param name="Frontend">The name of the frontend it serves; null for the default listeners.</param>
public sealed record PublicListener(string Url, ListenAddress Address, string? Frontend);
