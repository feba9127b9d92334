namespace Gateway.Core.Tests.Configuration;

/// <summary>CORS policies are checked at load: origins, "*" only alone and never with credentials, tokens, max-age, and routes' references.</summary>
public sealed class CorsConfigTests
{
    [Theory]
    [InlineData("""{ "origins": [] }""", "$.cors.web.origins", "name at least one origin")]
    [InlineData("""{ "origins": ["https://app.example.com/"] }""", "$.cors.web.origins[0]", "expected an origin")]
    [InlineData("""{ "origins": ["*"], "credentials": true }""", "$.cors.web.origins[0]", "\"*\" cannot be used with \"credentials\": true")]
    [InlineData("""{ "origins": ["https://a.example.com", "*"] }""", "$.cors.web.origins[1]", "list it alone")]
    [InlineData("""{ "origins": ["*"], "methods": ["GET", "PO ST"] }""", "$.cors.web.methods[1]", "expected a method")]
    [InlineData("""{ "origins": ["*"], "headers": ["*"] }""", "$.cors.web.headers[0]", "expected a field name")]
    [InlineData("""{ "origins": ["*"], "exposeHeaders": ["X:Y"] }""", "$.cors.web.exposeHeaders[0]", "expected a field name")]
    [InlineData("""{ "origins": ["*"], "maxAge": "soon" }""", "$.cors.web.maxAge", "expected a duration")]
    public void APolicyRuleIsEnforced(string policy, string path, string reason) =>
        ConfigAssert.ParseFails(Config(policy, "web"), path, reason);

    [Fact]
    public void ARouteNamingAnUnknownPolicyIsRefused() =>
        ConfigAssert.ParseFails(Config("""{ "origins": ["*"] }""", "mobile"), "$.routes[0].policies.cors", "unknown CORS policy \"mobile\"; defined CORS policies: \"web\"");

    [Fact]
    public void AFullPolicyLoads()
    {
        var config = Gateway.Core.Configuration.ConfigLoader.Parse(Config("""
            { "origins": ["https://app.example.com", "https://*.example.com"], "methods": ["GET", "POST"], "headers": ["Authorization", "Content-Type"],
              "exposeHeaders": ["RateLimit"], "credentials": true, "maxAge": "10m" }
            """, "web"), "test.json");

        Assert.True(config.Cors["web"].Credentials);
        Assert.Equal("web", config.Routes[0].Policies!.Cors);
    }

    private static string Config(string policy, string reference) => $$"""
        {
          "cors": { "web": {{policy}} },
          "routes": [ { "id": "r", "match": { "path": "/" }, "respond": { "status": 204 }, "policies": { "cors": "{{reference}}" } } ]
        }
        """;
}
