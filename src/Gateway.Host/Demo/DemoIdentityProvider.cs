using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Host.Demo;

/// <summary>
/// The demo's identity provider on 127.0.0.1:5108: a signing key made when the demo starts (never stored), its JWKS at
/// <c>/jwks.json</c>, and <c>/token?sub=NAME</c> minting an RS256 token for the demo's protected route (an hour long, scope
/// <c>orders:read</c>). For trying the gateway only: it gives a token to anyone who asks.
/// </summary>
internal static class DemoIdentityProvider
{
    /// <summary>The issuer of the demo's tokens, as gateway.json names it.</summary>
    public const string Issuer = "http://127.0.0.1:5108/";

    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "demo-" + Guid.NewGuid().ToString("N")[..8] };

    /// <summary>Maps the key set and the token endpoint.</summary>
    public static void Map(WebApplication app)
    {
        app.MapGet("/jwks.json", () =>
        {
            var key = Key.Rsa.ExportParameters(includePrivateParameters: false);
            return Results.Text(
                $$"""{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{Key.KeyId}}","n":"{{Base64UrlEncoder.Encode(key.Modulus)}}","e":"{{Base64UrlEncoder.Encode(key.Exponent)}}"}]}""",
                "application/json");
        });
        app.MapGet("/token", (string? sub) => Results.Text(Mint(string.IsNullOrWhiteSpace(sub) ? "alice" : sub)));
    }

    /// <summary>A token for <paramref name="subject"/>.</summary>
    public static string Mint(string subject) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = "demo",
        Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("scope", "orders:read")]),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
    });
}
