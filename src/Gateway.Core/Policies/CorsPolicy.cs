using System.Text;
using Gateway.Core.Configuration;
using Gateway.Core.Http;

namespace Gateway.Core.Policies;

/// <summary>A CORS policy compiled for serving: the allowed origins, methods and request fields, and the field values it answers with.</summary>
public sealed class CorsPolicy
{
    private static readonly string[] SafelistedMethods = ["GET", "HEAD", "POST"];
    private static readonly byte[][] SafelistedMethodBytes = [.. SafelistedMethods.Select(Encoding.ASCII.GetBytes)];
    private readonly CorsOrigin[] _origins;
    private readonly byte[][] _methods;
    private readonly byte[][] _headers;

    /// <summary>Compiles <paramref name="config"/> (already validated).</summary>
    public CorsPolicy(CorsPolicyConfig config)
    {
        AnyOrigin = config.Origins is ["*"];
        _origins = AnyOrigin ? [] : [.. config.Origins.Select(origin => CorsOrigin.TryParse(origin, out var parsed) ? parsed : throw new ArgumentException($"not an origin: \"{origin}\"", nameof(config)))];
        var methods = config.Methods.Count == 0 ? SafelistedMethods : [.. config.Methods];
        _methods = [.. methods.Select(Encoding.ASCII.GetBytes)];
        _headers = [.. config.Headers.Select(Encoding.ASCII.GetBytes)];
        Credentials = config.Credentials;
        AllowMethods = Encoding.ASCII.GetBytes(string.Join(", ", methods));
        AllowHeaders = config.Headers.Count == 0 ? null : Encoding.ASCII.GetBytes(string.Join(", ", config.Headers));
        ExposeHeaders = config.ExposeHeaders.Count == 0 ? null : Encoding.ASCII.GetBytes(string.Join(", ", config.ExposeHeaders));
        MaxAgeSeconds = config.MaxAge is { } maxAge && Duration.TryParse(maxAge, out var age, out _) ? (long)age.TotalSeconds : -1;
    }

    /// <summary>True when every origin is allowed (<c>"origins": ["*"]</c>, never with credentials).</summary>
    public bool AnyOrigin { get; }

    /// <summary>Whether cross-origin requests may carry credentials.</summary>
    public bool Credentials { get; }

    /// <summary>The Access-Control-Allow-Methods value.</summary>
    public byte[] AllowMethods { get; }

    /// <summary>The Access-Control-Allow-Headers value, or null when no fields beyond the safelisted are allowed.</summary>
    public byte[]? AllowHeaders { get; }

    /// <summary>The Access-Control-Expose-Headers value, or null.</summary>
    public byte[]? ExposeHeaders { get; }

    /// <summary>The Access-Control-Max-Age value in seconds, or -1 when not set.</summary>
    public long MaxAgeSeconds { get; }

    /// <summary>True when a request with <c>Origin: </c><paramref name="origin"/> may call the route.</summary>
    public bool AllowsOrigin(ReadOnlySpan<byte> origin)
    {
        if (origin.IsEmpty)
        {
            return false;
        }

        if (AnyOrigin)
        {
            return true;
        }

        foreach (var allowed in _origins)
        {
            if (allowed.Matches(origin))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a cross-origin request may use <paramref name="method"/> (methods are case-sensitive; GET, HEAD and POST always may).</summary>
    public bool AllowsMethod(ReadOnlySpan<byte> method) => Lists(SafelistedMethodBytes, method) || Lists(_methods, method);

    /// <summary>True when every name in the Access-Control-Request-Headers value <paramref name="names"/> is allowed (any case).</summary>
    public bool AllowsHeaders(ReadOnlySpan<byte> names)
    {
        foreach (var range in names.Split((byte)','))
        {
            var name = names[range].Trim(" \t"u8);
            if (!name.IsEmpty && !Allowed(name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Lists(byte[][] methods, ReadOnlySpan<byte> method)
    {
        foreach (var listed in methods)
        {
            if (method.SequenceEqual(listed))
            {
                return true;
            }
        }

        return false;
    }

    private bool Allowed(ReadOnlySpan<byte> name)
    {
        foreach (var allowed in _headers)
        {
            if (HttpSyntax.EqualsIgnoreCase(name, allowed))
            {
                return true;
            }
        }

        return false;
    }
}
