using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Configuration;

namespace Gateway.Host.Admin;

/// <summary>The admin listener's bearer token (GATEWAY_ADMIN_TOKEN): who may call the endpoints beyond the probes and metrics.</summary>
internal sealed class AdminToken
{
    private readonly byte[] _hash;

    private AdminToken(string token) => _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>The paths anyone on the admin listener may call: the probes and the metrics scrape.</summary>
    public static IReadOnlySet<string> OpenPaths { get; } = new HashSet<string>(StringComparer.Ordinal) { "/healthz", "/readyz", "/metrics" };

    /// <summary>
    /// The token of <paramref name="settings"/>, or null when none is set; throws <see cref="ConfigException"/> when the admin
    /// listener at <paramref name="listener"/> is not on a loopback address and no token is set.
    /// </summary>
    public static AdminToken? For(GatewaySettings settings, ListenAddress? listener)
    {
        if (settings.AdminToken is { } token)
        {
            return new AdminToken(token);
        }

        if (listener is not null && !IPAddress.IsLoopback(listener.EndPoint.Address))
        {
            throw new ConfigException(
                "environment",
                "GATEWAY_ADMIN_LISTEN",
                $"the admin listener \"{settings.AdminListen}\" is not on a loopback address: set GATEWAY_ADMIN_TOKEN, so that only operators can reload the configuration");
        }

        return null;
    }

    /// <summary>
    /// True when <paramref name="authorization"/> is <c>Bearer</c> followed by the token; compares hashes in constant time,
    /// so that neither the token's bytes nor its length show in the time taken.
    /// </summary>
    public bool Accepts(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _hash);
    }
}
