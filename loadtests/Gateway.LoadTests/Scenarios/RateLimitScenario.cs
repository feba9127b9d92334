using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.LoadTests.Scenarios;

/// <summary>
/// Authentication and a rate limit keyed on the caller: ten consumers, each with its own API key and a limit of
/// <see cref="PermitsPerConsumer"/> requests per second, take turns; pushed past their limits, the gateway must admit
/// about the limits and answer the rest 429 quickly.
/// </summary>
internal static class RateLimitScenario
{
    /// <summary>How many consumers take turns.</summary>
    public const int Consumers = 10;

    /// <summary>Requests per second the route admits for each consumer.</summary>
    public const int PermitsPerConsumer = 100;

    /// <summary>The scenario.</summary>
    public static Scenario Create() => new(
        Name: "rate-limit",
        Description: $"GET /limited/{{n}} with the API key of one of {Consumers} consumers in turn, each limited to {PermitsPerConsumer} req/s (GCRA, keyed on the consumer): 200 within the limit, 429 beyond it, both expected.",
        Gateway: new(
            """[ { "id": "limited", "match": { "path": "/limited/{*rest}", "methods": ["GET"] }, "cluster": "upstream", "policies": { "authentication": ["loadtest"], "rateLimit": ["loadtest"] } } ]""",
            RateLimits: $$"""{ "loadtest": { "permits": {{PermitsPerConsumer}}, "period": "1s", "key": "Consumer" } }""",
            Authentication: $$"""{ "loadtest": { "apiKey": { "header": "X-Api-Key", "keys": { {{string.Join(", ", Enumerable.Range(0, Consumers).Select(c => $"\"consumer-{c}\": \"sha256:{Hash(Key(c))}\""))}} } } } }"""),
        ExpectedStatuses: new HashSet<int> { 200, 429 },
        CreateRequest: static (target, n) => new HttpRequestMessage(HttpMethod.Get, new Uri(target, $"/limited/items/{n % 1000}"))
        {
            Headers = { { "X-Api-Key", Key((int)(n % Consumers)) } },
        },
        Stages: static profile => profile.RampThenHold());

    /// <summary>The API key of consumer <paramref name="consumer"/>.</summary>
    internal static string Key(int consumer) => string.Create(CultureInfo.InvariantCulture, $"load-test-key-{consumer}");

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
