using System.Text;
using Gateway.Core.Configuration;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Core.Authentication;

/// <summary>
/// JWT bearer tokens (RFC 6750) checked with Microsoft.IdentityModel: signature with the <see cref="SigningKeys"/> (only
/// keys of the set: a token's own <c>jku</c>, <c>x5u</c> or embedded <c>jwk</c> are never used), an algorithm from the
/// allow-list (asymmetric only, never <c>none</c>), issuer, audience, expiry and not-before within the clock skew. A valid
/// token is kept in a <see cref="TokenCache"/> until it expires, so its signature is checked once. The consumer is
/// <c>NAME:sub</c>. A 401 carries <c>WWW-Authenticate: Bearer</c>, with <c>error="invalid_token"</c> when a token was sent.
/// </summary>
public sealed class JwtAuthenticator : IAuthenticator
{
    private const int MaxCachedTokenLength = 8192;
    private readonly string _name;
    private readonly SigningKeys _keys;
    private readonly TokenCache _cache = new();
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;
    private readonly long _skewTicks;

    /// <summary>Compiles the entry <paramref name="name"/> (already validated); relative key files are read from <paramref name="folder"/>.</summary>
    public JwtAuthenticator(string name, JwtConfig config, string folder)
    {
        _name = name;
        var skew = config.ClockSkew is { } text && Duration.TryParse(text, out var parsed, out _) ? parsed : TimeSpan.FromSeconds(30);
        _skewTicks = skew.Ticks;
        _keys = config.JwksUrl is { } url ? SigningKeys.FromJwks(new Uri(url)) : SigningKeys.FromPemFiles(config.Keys.Select(path => Path.Combine(folder, path)));
        _keys.Changed += _cache.KeepOnly;
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = config.Issuer,
            ValidAudiences = config.Audiences,
            ValidAlgorithms = config.Algorithms,
            ClockSkew = skew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateLifetime = true,
            IssuerSigningKeyResolver = (_, _, kid, _) => _keys.Resolve(kid),
        };
    }

    /// <summary>The public keys tokens are checked against.</summary>
    public SigningKeys Keys => _keys;

    /// <inheritdoc/>
    public string Expected => "a bearer token (Authorization: Bearer <JWT>)";

    /// <inheritdoc/>
    public byte[]? QueryParameter => null;

    /// <inheritdoc/>
    public bool Challenge(RequestContext context)
    {
        context.ResponseFields.Added.Add("WWW-Authenticate"u8, Token(context.Head).IsEmpty ? "Bearer"u8 : "Bearer error=\"invalid_token\""u8);
        return true;
    }

    /// <inheritdoc/>
    public ValueTask<string?> AuthenticateAsync(RequestContext context)
    {
        var token = Token(context.Head);
        if (token.IsEmpty)
        {
            return new ValueTask<string?>((string?)null);
        }

        var now = DateTime.UtcNow.Ticks;
        if (token.Length <= MaxCachedTokenLength)
        {
            Span<char> chars = stackalloc char[token.Length];
            Encoding.Latin1.GetChars(token, chars);
            if (_cache.Find(chars, now) is { } hit)
            {
                context.Claims = hit.Claims;
                return new ValueTask<string?>(hit.Consumer);
            }
        }

        return ValidateAsync(context, Encoding.Latin1.GetString(token), now);
    }

    /// <inheritdoc/>
    public void Dispose() => _keys.Dispose();

    /// <summary>The token of an <c>Authorization: Bearer</c> field, or empty (also when there are two Authorization fields).</summary>
    private static ReadOnlySpan<byte> Token(RequestHead head)
    {
        if (head.HasSecond("Authorization"u8))
        {
            return default;
        }

        var value = head.FirstValueOf("Authorization"u8);
        return value.Length > 7 && Ascii.EqualsIgnoreCase(value[..7], "Bearer "u8) ? value[7..].Trim((byte)' ') : default;
    }

    private async ValueTask<string?> ValidateAsync(RequestContext context, string token, long now)
    {
        JsonWebToken parsed;
        try
        {
            parsed = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            // Not a JWT at all (the handler's malformed-token errors are ArgumentExceptions).
            return null;
        }

        if (!string.IsNullOrEmpty(parsed.Kid) && !_keys.Knows(parsed.Kid))
        {
            // A key rotation the gateway has not seen yet, or a made-up kid: the key set is fetched again at most once per 5 s.
            await _keys.RefreshForUnknownKid().ConfigureAwait(false);
        }

        // The token parsed once is the one validated.
        var result = await _handler.ValidateTokenAsync(parsed, _parameters).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt || string.IsNullOrEmpty(jwt.Subject) || jwt.Subject.AsSpan().ContainsAnyInRange('\0', '\u001f'))
        {
            // Without a subject there is no consumer; one with control characters could split a log line or a field.
            return null;
        }

        var consumer = $"{_name}:{jwt.Subject}";
        if (token.Length <= MaxCachedTokenLength)
        {
            _cache.Add(token, new TokenCache.Entry(consumer, result.ClaimsIdentity, jwt.ValidTo.Ticks + _skewTicks, string.IsNullOrEmpty(jwt.Kid) ? null : jwt.Kid), now);
        }

        context.Claims = result.ClaimsIdentity;
        return consumer;
    }
}
