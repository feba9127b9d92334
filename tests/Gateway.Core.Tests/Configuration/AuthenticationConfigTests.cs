namespace Gateway.Core.Tests.Configuration;

/// <summary>Authentication entries, a route's references to them, its identity fields and consumer-keyed rate limits are checked at load.</summary>
public sealed class AuthenticationConfigTests
{
    private const string Hash = "sha256:2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";

    [Theory]
    [InlineData($$"""{ "apiKey": { "keys": { "acme": "{{Hash}}" } } }""", "$.authentication.partners.apiKey", "\"header\" or \"query\"")]
    [InlineData($$"""{ "apiKey": { "header": "X-Api-Key", "query": "k", "keys": { "acme": "{{Hash}}" } } }""", "$.authentication.partners.apiKey", "one of them")]
    [InlineData($$"""{ "apiKey": { "header": "Host", "keys": { "acme": "{{Hash}}" } } }""", "$.authentication.partners.apiKey.header", "a field the gateway owns")]
    [InlineData($$"""{ "apiKey": { "query": "a&b", "keys": { "acme": "{{Hash}}" } } }""", "$.authentication.partners.apiKey.query", "a query parameter name")]
    [InlineData("""{ "apiKey": { "header": "X-Api-Key", "keys": {} } }""", "$.authentication.partners.apiKey.keys", "name at least one key")]
    [InlineData("""{ "apiKey": { "header": "X-Api-Key", "keys": { "acme": "the-key-itself" } } }""", "$.authentication.partners.apiKey.keys.acme", "keys themselves are never stored")]
    [InlineData("""{ "apiKey": { "header": "X-Api-Key", "keys": { "acme": "sha256:2bb8" } } }""", "$.authentication.partners.apiKey.keys.acme", "64 hex digits")]
    [InlineData($$"""{ "apiKey": { "header": "X-Api-Key", "keys": { "ac me": "{{Hash}}" } } }""", "$.authentication.partners.apiKey.keys['ac me']", "consumer name")]
    [InlineData($$"""{ "apiKey": { "header": "X-Api-Key", "keys": { "acme": "{{Hash}}", "other": "{{Hash}}" } } }""", "$.authentication.partners.apiKey.keys.other", "the same key is stored for \"acme\"")]
    [InlineData("{}", "$.authentication.partners", "expected one of { \"jwt\"")]
    [InlineData("""{ "jwt": { "issuer": "https://id/", "audiences": ["api"], "jwksUrl": "http://id.example.com/jwks.json", "algorithms": ["RS256"] } }""", "$.authentication.partners.jwt.jwksUrl", "http only on the loopback")]
    [InlineData("""{ "jwt": { "issuer": "https://id/", "audiences": ["api"], "jwksUrl": "https://id/jwks.json", "algorithms": ["HS256"] } }""", "$.authentication.partners.jwt.algorithms[0]", "never HMAC")]
    [InlineData("""{ "jwt": { "issuer": "https://id/", "audiences": ["api"], "algorithms": ["RS256"] } }""", "$.authentication.partners.jwt", "\"jwksUrl\" or \"keys\"")]
    public void AnEntryRuleIsEnforced(string entry, string path, string reason) =>
        ConfigAssert.ParseFails(Config(entry, """ "authentication": ["partners"] """), path, reason);

    [Theory]
    [InlineData(""" "authentication": ["users"] """, "$.routes[0].policies.authentication[0]", "unknown authentication entry \"users\"; defined authentication entries: \"partners\"")]
    [InlineData(""" "authentication": ["partners", "partners"] """, "$.routes[0].policies.authentication[1]", "listed twice")]
    [InlineData(""" "identityHeaders": { "X-Consumer": "consumer" } """, "$.routes[0].policies.identityHeaders.X-Consumer", "need \"authentication\"")]
    [InlineData(""" "authentication": ["partners"], "identityHeaders": { "X-Forwarded-For": "consumer" } """, "$.routes[0].policies.identityHeaders.X-Forwarded-For", "a field the gateway owns")]
    [InlineData(""" "rateLimit": ["per-consumer"] """, "$.routes[0].policies.rateLimit[0]", "keyed by Consumer: the route needs \"authentication\"")]
    [InlineData(""" "rateLimit": ["per-tenant"] """, "$.routes[0].policies.rateLimit[0]", "keyed by Claim: the route needs \"authentication\"")]
    [InlineData(""" "authorization": { "scopes": ["a"] } """, "$.routes[0].policies.authorization", "authorization needs \"authentication\"")]
    [InlineData(""" "authentication": ["partners"], "authorization": { "scopes": [] } """, "$.routes[0].policies.authorization", "name what the caller must hold")]
    [InlineData(""" "authentication": ["partners"], "authorization": { "claims": { "tid": [] } } """, "$.routes[0].policies.authorization", "each claim lists at least one value")]
    public void ARouteRuleIsEnforced(string policies, string path, string reason) =>
        ConfigAssert.ParseFails(Config($$"""{ "apiKey": { "header": "X-Api-Key", "keys": { "acme": "{{Hash}}" } } }""", policies), path, reason);

    [Fact]
    public void AClaimKeyedLimitNamesItsClaim() =>
        ConfigAssert.ParseFails(
            Config($$"""{ "apiKey": { "header": "X-Api-Key", "keys": { "acme": "{{Hash}}" } } }""", """ "authentication": ["partners"], "rateLimit": ["per-consumer"] """)
                .Replace("\"key\": \"Consumer\"", "\"key\": \"Claim\"", StringComparison.Ordinal),
            "$.rateLimits.per-consumer.claim",
            "needs \"claim\"");

    [Fact]
    public void ARouteWithKeysIdentityFieldsAndAConsumerLimitLoads()
    {
        var config = Gateway.Core.Configuration.ConfigLoader.Parse(
            Config($$"""{ "apiKey": { "query": "api_key", "keys": { "acme": "{{Hash.ToUpperInvariant().Replace("SHA256", "sha256", StringComparison.Ordinal)}}" } } }""",
                """ "authentication": ["partners"], "identityHeaders": { "X-Consumer": "consumer", "X-User-Id": "sub" }, "rateLimit": ["per-consumer"] """),
            "test.json");

        Assert.Equal("api_key", config.Authentication["partners"].ApiKey!.Query);
        Assert.Equal(2, config.Routes[0].Policies!.IdentityHeaders.Count);
    }

    private static string Config(string entry, string policies) => $$"""
        {
          "authentication": { "partners": {{entry}} },
          "rateLimits": { "per-consumer": { "permits": 10, "period": "1s", "key": "Consumer" }, "per-tenant": { "permits": 10, "period": "1s", "key": "Claim", "claim": "tid" } },
          "routes": [ { "id": "r", "match": { "path": "/" }, "respond": { "status": 204 }, "policies": { {{policies}} } } ]
        }
        """;
}
