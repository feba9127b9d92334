using System.Security.Claims;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Benchmarks;

/// <summary>
/// What authentication adds to a request, end to end through one client connection's HTTP/1.1 loop (in-memory pipes) to a
/// direct response (no upstream): a route without authentication (baseline); a route with a JWT entry (RS256, a PEM key)
/// given a token validated before, so answered from the token cache; and a route with an API key in a header (a SHA-256 and
/// a constant-time comparison per request). Each authenticated route also sends the consumer in an identity field.
/// </summary>
[MemoryDiagnoser]
public class AuthenticationBenchmarks : IDisposable
{
    private const string Config = """
        {
          "authentication": {
            "users": { "jwt": { "issuer": "https://id.bench/", "audiences": ["api"], "keys": ["{pem}"], "algorithms": ["RS256"] } },
            "partners": { "apiKey": { "header": "X-Api-Key", "keys": { "acme": "sha256:904fc520be4ca9db80d0ffcc6bf7e01b4148e33d45bb6b422ad2e607815fb508" } } }
          },
          "routes": [
            { "id": "open", "match": { "path": "/open" }, "respond": { "status": 200, "body": "ok" } },
            { "id": "jwt", "match": { "path": "/jwt" }, "respond": { "status": 200, "body": "ok" },
              "policies": { "authentication": ["users"], "identityHeaders": { "X-Consumer": "consumer" } } },
            { "id": "key", "match": { "path": "/key" }, "respond": { "status": 200, "body": "ok" },
              "policies": { "authentication": ["partners"], "identityHeaders": { "X-Consumer": "consumer" } } }
          ]
        }
        """;

    private readonly string _pem = Path.Combine(Path.GetTempPath(), $"gateway-bench-{Guid.NewGuid():N}.pem");
    private InMemoryConnection _client = null!;
    private byte[] _open = [];
    private byte[] _jwt = [];
    private byte[] _apiKey = [];

    /// <summary>Writes the public key, mints a token, starts the connection loop, and checks every route answers 200 (the token once, into the cache).</summary>
    [GlobalSetup]
    public void Setup()
    {
        using var rsa = RSA.Create(2048);
        File.WriteAllText(_pem, rsa.ExportSubjectPublicKeyInfoPem());
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://id.bench/",
            Audience = "api",
            Subject = new ClaimsIdentity([new Claim("sub", "alice")]),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa.ExportParameters(true)), "RS256"),
        });
        _client = new InMemoryConnection(Config.Replace("{pem}", _pem, StringComparison.Ordinal));
        _open = InMemoryConnection.Get("/open");
        _jwt = InMemoryConnection.Get("/jwt", $"Authorization: Bearer {token}\r\n");
        _apiKey = InMemoryConnection.Get("/key", "X-Api-Key: acme-key-1\r\n");
        foreach (var request in new[] { _open, _jwt, _apiKey })
        {
            var response = _client.ExchangeTextAsync(request, 2).GetAwaiter().GetResult();
            if (!response.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"answered: {response}");
            }
        }
    }

    /// <summary>A route without authentication.</summary>
    [Benchmark(Baseline = true)]
    public Task NoAuthentication() => _client.ExchangeAsync(_open, 2);

    /// <summary>A route with JWT authentication, the token already validated (a cache hit).</summary>
    [Benchmark]
    public Task CachedJwt() => _client.ExchangeAsync(_jwt, 2);

    /// <summary>A route with an API key in a header.</summary>
    [Benchmark]
    public Task ApiKey() => _client.ExchangeAsync(_apiKey, 2);

    /// <inheritdoc/>
    public void Dispose()
    {
        _client.Dispose();
        File.Delete(_pem);
        GC.SuppressFinalize(this);
    }
}
