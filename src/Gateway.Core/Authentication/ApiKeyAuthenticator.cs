using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Configuration;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Authentication;

/// <summary>
/// API keys from a header or a query parameter: the key's SHA-256 is compared with every stored hash in constant time
/// (no early exit, <see cref="CryptographicOperations.FixedTimeEquals"/>), so timing tells nothing of the keys. A key in
/// the query is taken out of it by the route's first step (<see cref="QueryCredentialStep"/>), whether it is right or not;
/// a request with two key fields is refused.
/// </summary>
public sealed class ApiKeyAuthenticator : IAuthenticator
{
    private readonly byte[]? _header;
    private readonly byte[]? _query;
    private readonly byte[][] _hashes;
    private readonly string[] _consumers;

    /// <summary>Compiles <paramref name="config"/> (already validated).</summary>
    public ApiKeyAuthenticator(ApiKeyConfig config)
    {
        _header = config.Header is null ? null : Encoding.ASCII.GetBytes(config.Header);
        _query = config.Query is null ? null : Encoding.ASCII.GetBytes(config.Query);
        _consumers = [.. config.Keys.Keys];
        _hashes = [.. config.Keys.Values.Select(text => AuthenticationConfigValidator.TryParseHash(text, out var hash) ? hash : throw new ArgumentException("not a key hash", nameof(config)))];
        Expected = config.Header is { } header ? $"an API key in the {header} header" : $"an API key in the {config.Query} query parameter";
    }

    /// <inheritdoc/>
    public string Expected { get; }

    /// <inheritdoc/>
    public byte[]? QueryParameter => _query;

    /// <inheritdoc/>
    public ValueTask<string?> AuthenticateAsync(RequestContext context) => new(Authenticate(context));

    /// <inheritdoc/>
    public bool Challenge(RequestContext context) => false;

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private string? Authenticate(RequestContext context)
    {
        var head = context.Head;
        if (_header is not null && head.HasSecond(_header))
        {
            // Two keys: an upstream might read the one that was not checked.
            return null;
        }

        var key = _header is not null ? head.FirstValueOf(_header) : head.RemovedQueryParameter(_query!);
        if (key.IsEmpty)
        {
            return null;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(key, hash);
        var match = -1;
        for (var i = 0; i < _hashes.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, _hashes[i]))
            {
                match = i;
            }
        }

        return match < 0 ? null : _consumers[match];
    }
}
