using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>
/// A test identity provider: RSA and EC signing keys, a real JWKS endpoint on 127.0.0.1 (whose key set the test rotates,
/// and which counts its fetches), and tokens minted with any claims, lifetime, key or algorithm.
/// </summary>
internal sealed class IdentityProvider : IAsyncDisposable
{
    public const string Issuer = "https://id.test/";
    public const string Audience = "api";

    private readonly WebApplication _app;
    private volatile SecurityKey[] _published;
    private int _fetches;

    private IdentityProvider(WebApplication app)
    {
        _app = app;
        Rsa = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa-1" };
        Ec = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ec-1" };
        Next = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa-2" };
        _published = [Rsa, Ec];
    }

    /// <summary>The RSA key published from the start.</summary>
    public RsaSecurityKey Rsa { get; }

    /// <summary>The EC key published from the start.</summary>
    public ECDsaSecurityKey Ec { get; }

    /// <summary>An RSA key published only after <see cref="Rotate"/>.</summary>
    public RsaSecurityKey Next { get; }

    /// <summary>The JWKS URL.</summary>
    public string JwksUrl { get; private set; } = "";

    /// <summary>How many times the key set was fetched.</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    /// <summary>Starts the provider.</summary>
    public static async Task<IdentityProvider> StartAsync()
    {
        var app = LoopbackApp.Create();
        var provider = new IdentityProvider(app);
        app.Run(provider.ServeJwksAsync);
        await app.StartAsync();
        provider.JwksUrl = LoopbackApp.UrlOf(app) + "/jwks.json";
        return provider;
    }

    /// <summary>Publishes <see cref="Next"/> beside the others, as a key rotation does.</summary>
    public void Rotate() => _published = [Rsa, Ec, Next];

    /// <summary>A token signed by <paramref name="key"/> with <paramref name="algorithm"/>, for subject <paramref name="subject"/>, valid from <paramref name="notBefore"/> to <paramref name="expires"/>.</summary>
    public static string Mint(
        SecurityKey key, string algorithm, string subject = "alice", string issuer = Issuer, string audience = Audience,
        DateTime? notBefore = null, DateTime? expires = null, IDictionary<string, object>? claims = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            NotBefore = notBefore ?? now.AddMinutes(-1),
            IssuedAt = now.AddMinutes(-1),
            Expires = expires ?? now.AddMinutes(10),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task ServeJwksAsync(HttpContext context)
    {
        Interlocked.Increment(ref _fetches);
        var keys = _published.Select(key => key switch
        {
            RsaSecurityKey rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = rsa.KeyId }),
            ECDsaSecurityKey ec => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(ec),
            _ => throw new InvalidOperationException(),
        });
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"keys\":[" + string.Join(",", keys.Select(key => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["kty"] = key.Kty, ["kid"] = key.Kid, ["use"] = "sig", ["n"] = key.N, ["e"] = key.E, ["crv"] = key.Crv, ["x"] = key.X, ["y"] = key.Y,
        }.Where(pair => pair.Value is not null).ToDictionary()))) + "]}");
    }
}
