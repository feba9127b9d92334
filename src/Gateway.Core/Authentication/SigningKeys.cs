using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Core.Authentication;

/// <summary>
/// The public keys JWTs are checked against: read once from PEM files, or fetched from a JWKS URL at start, refreshed every
/// 5 minutes and when a token names an unknown <c>kid</c> (at most once per 5 s, so a flood of made-up kids cannot hammer
/// the identity provider). While the provider is unreachable the last good keys stay in use. Only RSA and EC signing keys
/// are kept: a symmetric key in a key set is ignored, so no token is ever checked with a shared secret.
/// </summary>
public sealed class SigningKeys : IDisposable
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan UnknownKidPause = TimeSpan.FromSeconds(5);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(5),
        MaxResponseContentBufferSize = 1 << 20,
    };
    private readonly Uri? _jwks;
    private readonly Timer? _timer;
    private readonly Lock _fetching = new();
    private volatile SecurityKey[] _keys;
    private readonly Task _first = Task.CompletedTask;
    private Task _fetch = Task.CompletedTask;
    private long _lastUnknownKidFetch = long.MinValue;
    private volatile bool _disposed;

    private SigningKeys(SecurityKey[] keys, Uri? jwks)
    {
        _keys = keys;
        _jwks = jwks;
        if (jwks is not null)
        {
            _first = Refresh(force: true);
            _timer = new Timer(static state => ((SigningKeys)state!).Refresh(force: true), this, RefreshEvery, RefreshEvery);
        }
    }

    /// <summary>Raised after a fetch that changed the keys, with the key ids that remain.</summary>
    public event Action<IReadOnlySet<string>>? Changed;

    /// <summary>Fetches made so far (for tests and logs).</summary>
    public int Fetches { get; private set; }

    /// <summary>Keys fetched from <paramref name="jwks"/>, the first fetch starting now.</summary>
    public static SigningKeys FromJwks(Uri jwks) => new([], jwks);

    /// <summary>Keys read from PEM files (public keys, RSA or EC).</summary>
    public static SigningKeys FromPemFiles(IEnumerable<string> paths) => new([.. paths.Select(ReadPem)], null);

    /// <summary>The keys a token naming <paramref name="kid"/> may be signed with: the key with that id, or every key when the token names none.</summary>
    public IEnumerable<SecurityKey> Resolve(string? kid)
    {
        var keys = _keys;
        if (string.IsNullOrEmpty(kid))
        {
            return keys;
        }

        foreach (var key in keys)
        {
            if (key.KeyId == kid)
            {
                return [key];
            }
        }

        // Keys without an id (all keys read from files, and those of a set that gives none) may be the one.
        return _jwks is null ? keys : Array.FindAll(keys, key => string.IsNullOrEmpty(key.KeyId));
    }

    /// <summary>Waits up to <paramref name="limit"/> for the first fetch of the key set (none for keys from files).</summary>
    public void WaitForFirstFetch(TimeSpan limit) => _first.Wait(limit);

    /// <summary>True when a key with id <paramref name="kid"/> is known.</summary>
    public bool Knows(string kid) => Array.Exists(_keys, key => key.KeyId == kid);

    /// <summary>
    /// After a token named an unknown kid: fetches the key set again unless one was fetched less than 5 s ago; returns
    /// the fetch in progress (or a completed task when none is allowed).
    /// </summary>
    public Task RefreshForUnknownKid() => Refresh(force: false);

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        _timer?.Dispose();
    }

    private Task Refresh(bool force)
    {
        if (_jwks is null || _disposed)
        {
            return Task.CompletedTask;
        }

        lock (_fetching)
        {
            if (!_fetch.IsCompleted)
            {
                return _fetch;
            }

            var now = Environment.TickCount64;
            if (!force)
            {
                if (_lastUnknownKidFetch != long.MinValue && now - _lastUnknownKidFetch < (long)UnknownKidPause.TotalMilliseconds)
                {
                    return Task.CompletedTask;
                }

                _lastUnknownKidFetch = now;
            }

            Fetches++;
            _fetch = FetchAsync(_jwks);
            return _fetch;
        }
    }

    private async Task FetchAsync(Uri jwks)
    {
        try
        {
            var json = await Http.GetStringAsync(jwks).ConfigureAwait(false);
            var keys = new JsonWebKeySet(json).Keys
                .Where(key => key.Kty is "RSA" or "EC" && key.Use is null or "" or "sig")
                .Cast<SecurityKey>()
                .ToArray();
            if (keys.Length == 0)
            {
                return;
            }

            _keys = keys;
            Changed?.Invoke(keys.Select(key => key.KeyId).Where(id => id is not null).ToHashSet(StringComparer.Ordinal));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ArgumentException or InvalidOperationException or FormatException or System.Text.Json.JsonException)
        {
            // The provider is unreachable or sent no usable key set: the last good keys stay in use.
        }
    }

    /// <summary>Reads a public key (RSA or EC) from a PEM file; throws when the file holds neither.</summary>
    private static SecurityKey ReadPem(string path)
    {
        var pem = File.ReadAllText(path);
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            ec.Dispose();
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa);
    }
}
