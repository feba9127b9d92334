using System.Security.Cryptography;
using System.Text;
using Gateway.Host.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Host.Tests.Security;

/// <summary>
/// JWT bearer tokens end to end, against real RSA and EC tokens and a real JWKS endpoint: what is accepted, everything
/// that is refused (with RFC 6750's WWW-Authenticate), a key rotation picked up without restart, a flood of unknown kids
/// that does not hammer the provider, and the token's subject sent upstream as NAME:sub and in identity fields.
/// </summary>
public sealed class JwtTests
{
    [Fact]
    public async Task ValidRsaAndEcTokensGetThroughWithTheirIdentity()
    {
        await using var provider = await IdentityProvider.StartAsync();
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, provider.JwksUrl));

        var rsa = await SendAsync(gateway, IdentityProvider.Mint(provider.Rsa, "RS256", subject: "alice"), "X-User-Id: mallory\r\nX-Consumer: mallory\r\n");
        var ec = await SendAsync(gateway, IdentityProvider.Mint(provider.Ec, "ES256", subject: "bob"));

        Assert.Equal([200, 200], new[] { rsa.Status, ec.Status });
        Assert.Equal(["alice", "bob"], upstream.Requests.Select(request => request.Header("X-User-Id")));
        Assert.Equal(["users:alice", "users:bob"], upstream.Requests.Select(request => request.Header("X-Consumer")));
    }

    [Fact]
    public async Task ClaimsThatCouldSplitAFieldNeverReachTheUpstream()
    {
        await using var provider = await IdentityProvider.StartAsync();
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, provider.JwksUrl));

        var badSubject = await SendAsync(gateway, IdentityProvider.Mint(provider.Rsa, "RS256", subject: "eve\r\nX-Admin: 1"));
        var badClaim = await SendAsync(gateway, IdentityProvider.Mint(provider.Rsa, "RS256", claims: new Dictionary<string, object> { ["tid"] = "t1\r\nX-Admin: 1" }));
        var unicode = await SendAsync(gateway, IdentityProvider.Mint(provider.Rsa, "RS256", claims: new Dictionary<string, object> { ["tid"] = "zürich" }));

        Assert.Equal(401, badSubject.Status);
        Assert.Equal([200, 200], new[] { badClaim.Status, unicode.Status });
        Assert.Null(upstream.Requests[0].Header("X-Tenant"));
        Assert.Null(upstream.Requests[0].Header("X-Admin"));
        Assert.Equal("zürich", upstream.Requests[1].Header("X-Tenant"));
    }

    [Fact]
    public async Task AuthorizationNeedsEveryScopeOneRoleAndAnAllowedClaimValue()
    {
        await using var provider = await IdentityProvider.StartAsync();
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, provider.JwksUrl));
        string Token(Dictionary<string, object> claims) => IdentityProvider.Mint(provider.Rsa, "RS256", claims: claims);

        var cases = new (string What, Dictionary<string, object> Claims, int Status)[]
        {
            ("all held, scope", new() { ["scope"] = "orders:read orders:write", ["roles"] = new[] { "ops" }, ["tid"] = "t1" }, 200),
            ("all held, scp", new() { ["scp"] = new[] { "orders:write", "orders:read" }, ["role"] = "admin", ["tid"] = "t2" }, 200),
            ("all held, scp as one string", new() { ["scp"] = "orders:write orders:read", ["roles"] = new[] { "admin" }, ["tid"] = "t1" }, 200),
            ("scope missing", new() { ["scope"] = "orders:write", ["roles"] = new[] { "ops" }, ["tid"] = "t1" }, 403),
            ("a scope that only starts alike", new() { ["scope"] = "orders:readonly", ["roles"] = new[] { "ops" }, ["tid"] = "t1" }, 403),
            ("no role", new() { ["scope"] = "orders:read", ["roles"] = new[] { "guest" }, ["tid"] = "t1" }, 403),
            ("claim value not allowed", new() { ["scope"] = "orders:read", ["roles"] = new[] { "ops" }, ["tid"] = "t9" }, 403),
        };

        foreach (var (what, claims, status) in cases)
        {
            var response = await gateway.SendAsync($"GET /admin HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {Token(claims)}\r\n\r\n");
            Assert.True(response.Status == status, $"{what}: {response.Status}");
        }

        Assert.Equal(3, upstream.Requests.Count);
    }

    [Fact]
    public async Task AClaimKeyedLimitGivesEachClaimValueItsOwnBudget()
    {
        await using var provider = await IdentityProvider.StartAsync();
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, provider.JwksUrl));
        Task<RawResponse> SendAsTenant(string subject, string tenant) => gateway.SendAsync(
            $"GET /tenant HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {IdentityProvider.Mint(provider.Rsa, "RS256", subject: subject, claims: new Dictionary<string, object> { ["tid"] = tenant })}\r\n\r\n");

        var first = await SendAsTenant("alice", "t1");
        var sameTenant = await SendAsTenant("bob", "t1");
        var otherTenant = await SendAsTenant("carol", "t2");

        Assert.Equal([200, 429, 200], new[] { first.Status, sameTenant.Status, otherTenant.Status });
    }

    [Fact]
    public async Task EveryKindOfBadTokenIs401WithInvalidToken()
    {
        await using var provider = await IdentityProvider.StartAsync();
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, provider.JwksUrl));
        var now = DateTime.UtcNow;
        var good = IdentityProvider.Mint(provider.Rsa, "RS256");
        var stranger = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa-1" };
        var publicKeyAsSecret = new SymmetricSecurityKey(Encoding.ASCII.GetBytes(provider.Rsa.Rsa.ExportSubjectPublicKeyInfoPem())) { KeyId = "rsa-1" };
        var bad = new Dictionary<string, string>
        {
            ["expired"] = IdentityProvider.Mint(provider.Rsa, "RS256", notBefore: now.AddHours(-2), expires: now.AddHours(-1)),
            ["not yet valid"] = IdentityProvider.Mint(provider.Rsa, "RS256", notBefore: now.AddHours(1), expires: now.AddHours(2)),
            ["wrong issuer"] = IdentityProvider.Mint(provider.Rsa, "RS256", issuer: "https://evil.test/"),
            ["wrong audience"] = IdentityProvider.Mint(provider.Rsa, "RS256", audience: "other"),
            ["bad signature"] = IdentityProvider.Mint(stranger, "RS256"),
            ["tampered"] = good[..good.LastIndexOf('.')] + ".AAAA" + good[(good.LastIndexOf('.') + 5)..],
            ["alg none"] = Unsigned(good),
            ["HMAC with the RSA public key as secret"] = IdentityProvider.Mint(publicKeyAsSecret, "HS256"),
            ["algorithm not allowed"] = IdentityProvider.Mint(provider.Rsa, "RS512"),
            ["not a token"] = "not.a.token",
            ["no subject"] = IdentityProvider.Mint(provider.Rsa, "RS256", subject: ""),
        };

        foreach (var (what, token) in bad)
        {
            var response = await SendAsync(gateway, token);
            Assert.True(response.Status == 401, $"{what}: {response.Status}");
            Assert.Equal("Bearer error=\"invalid_token\"", response.Header("WWW-Authenticate"));
        }

        var twoTokens = await SendAsync(gateway, good, $"Authorization: Bearer {bad["alg none"]}\r\n");
        Assert.Equal(401, twoTokens.Status);

        var none = await gateway.SendAsync("GET /orders HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(401, none.Status);
        Assert.Equal("Bearer", none.Header("WWW-Authenticate"));
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task ARotatedKeyIsPickedUpWithoutRestartAndAFloodOfUnknownKidsDoesNotHammerTheProvider()
    {
        await using var provider = await IdentityProvider.StartAsync();
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, provider.JwksUrl));
        var fetchesAtStart = provider.Fetches;

        provider.Rotate();
        var rotated = await SendAsync(gateway, IdentityProvider.Mint(provider.Next, "RS256"));
        var fetchesAfterRotation = provider.Fetches;
        using var stranger = RSA.Create(2048);
        for (var i = 0; i < 50; i++)
        {
            var madeUp = new RsaSecurityKey(stranger) { KeyId = $"made-up-{i}" };
            Assert.Equal(401, (await SendAsync(gateway, IdentityProvider.Mint(madeUp, "RS256"))).Status);
        }

        Assert.Equal(1, fetchesAtStart);
        Assert.Equal(200, rotated.Status);
        Assert.Equal(2, fetchesAfterRotation);
        Assert.True(provider.Fetches <= fetchesAfterRotation + 2, $"{provider.Fetches - fetchesAfterRotation} fetches for 50 unknown kids");
    }

    [Fact]
    public async Task WhileTheProviderIsUnreachableTheKnownKeysStayInUse()
    {
        var provider = await IdentityProvider.StartAsync();
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, provider.JwksUrl));
        var token = IdentityProvider.Mint(provider.Rsa, "RS256", subject: "carol");
        var unknownKid = IdentityProvider.Mint(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "unknown" }, "RS256");
        await provider.DisposeAsync();

        Assert.Equal(401, (await SendAsync(gateway, unknownKid)).Status);
        Assert.Equal(200, (await SendAsync(gateway, token)).Status);
    }

    [Fact]
    public async Task StaticPemKeysVerifyTokensWithoutAProvider()
    {
        using var pem = new TempFile("gateway-jwt-key");
        var rsa = new RsaSecurityKey(RSA.Create(2048));
        await File.WriteAllTextAsync(pem.Path, rsa.Rsa.ExportSubjectPublicKeyInfoPem());
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Configs.Parse($$"""
            {
              "authentication": { "users": { "jwt": { "issuer": "{{IdentityProvider.Issuer}}", "audiences": ["api"], "keys": ["{{pem.Path}}"], "algorithms": ["RS256"] } } },
              "routes": [ { "id": "orders", "match": { "path": "/orders" }, "cluster": "c", "policies": { "authentication": ["users"] } } ],
              "clusters": { "c": { "destinations": ["{{upstream.Url}}"] } }
            }
            """));

        Assert.Equal(200, (await SendAsync(gateway, IdentityProvider.Mint(rsa, "RS256"))).Status);
        Assert.Equal(401, (await SendAsync(gateway, IdentityProvider.Mint(new RsaSecurityKey(RSA.Create(2048)), "RS256"))).Status);
    }

    private static Task<RawResponse> SendAsync(TestGateway gateway, string token, string extra = "") =>
        gateway.SendAsync($"GET /orders HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {token}\r\n{extra}\r\n");

    /// <summary>The token's claims under an <c>alg: none</c> header and no signature.</summary>
    private static string Unsigned(string token)
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        return header + "." + token.Split('.')[1] + ".";
    }

    private static Gateway.Core.Configuration.GatewayConfig Config(string upstream, string jwks) => Configs.Parse($$"""
        {
          "authentication": { "users": { "jwt": { "issuer": "{{IdentityProvider.Issuer}}", "audiences": ["{{IdentityProvider.Audience}}"], "jwksUrl": "{{jwks}}",
                                                  "algorithms": ["RS256", "ES256"], "clockSkew": "30s" } } },
          "routes": [ { "id": "orders", "match": { "path": "/orders" }, "cluster": "c",
                        "policies": { "authentication": ["users"], "identityHeaders": { "X-User-Id": "sub", "X-Consumer": "consumer", "X-Tenant": "tid" } } },
                      { "id": "admin", "match": { "path": "/admin" }, "cluster": "c",
                        "policies": { "authentication": ["users"],
                                      "authorization": { "scopes": ["orders:read"], "roles": ["admin", "ops"], "claims": { "tid": ["t1", "t2"] } } } },
                      { "id": "tenant", "match": { "path": "/tenant" }, "cluster": "c", "policies": { "authentication": ["users"], "rateLimit": ["per-tenant"] } } ],
          "rateLimits": { "per-tenant": { "permits": 1, "period": "1h", "key": "Claim", "claim": "tid" } },
          "clusters": { "c": { "destinations": ["{{upstream}}"] } }
        }
        """);
}
