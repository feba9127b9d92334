namespace Gateway.Core.Configuration;

/// <summary>The rules of the "authentication" entries (JWT and API keys), and of a route's authentication and identity fields.</summary>
internal static class AuthenticationConfigValidator
{
    /// <summary>What identity fields may carry besides a claim: the consumer's name.</summary>
    public const string ConsumerSource = "consumer";

    /// <summary>The prefix of a stored key hash.</summary>
    public const string HashPrefix = "sha256:";

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Every broken rule of the entry at <paramref name="at"/>.</summary>
    public static IEnumerable<(string Path, string Reason)> EntryErrors(string name, AuthenticationConfig? entry, string at)
    {
        if (!IsConsumerName(name))
        {
            yield return (at, $"authentication name \"{name}\" must be letters, digits, '-', '_' or '.'");
        }

        if ((entry?.ApiKey is null) == (entry?.Jwt is null))
        {
            yield return (at, "expected one of { \"jwt\": { ... } } or { \"apiKey\": { ... } }");
            yield break;
        }

        if (entry!.Jwt is { } jwt)
        {
            foreach (var error in JwtErrors(jwt, at + ".jwt"))
            {
                yield return error;
            }

            yield break;
        }

        var apiKey = entry.ApiKey!;
        at += ".apiKey";
        if ((apiKey.Header is null) == (apiKey.Query is null))
        {
            yield return (at, "name where the key is sent: \"header\" or \"query\" (one of them)");
        }
        else if (apiKey.Header is { } header && ConfigValidator.FieldNameProblem(header) is { } problem)
        {
            yield return (at + ".header", problem);
        }
        else if (apiKey.Query is { } query && (query.Length == 0 || !query.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')))
        {
            yield return (at + ".query", $"a query parameter name is letters, digits, '-', '_', '.' or '~', got \"{query}\"");
        }

        if (apiKey.Keys.Count == 0)
        {
            yield return (at + ".keys", "name at least one key: { \"consumer\": \"sha256:<hex of the key's SHA-256>\" }");
        }

        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (consumer, hash) in apiKey.Keys)
        {
            var keyAt = ConfigJson.Member(at + ".keys", consumer);
            if (!IsConsumerName(consumer))
            {
                yield return (keyAt, $"consumer name \"{consumer}\" must be letters, digits, '-', '_' or '.'");
            }
            else if (!TryParseHash(hash, out _))
            {
                yield return (keyAt, "expected \"sha256:\" and the 64 hex digits of the key's SHA-256 (e.g. from `printf %s \"$KEY\" | sha256sum`); keys themselves are never stored");
            }
            else if (!seen.TryAdd(hash, consumer))
            {
                yield return (keyAt, $"the same key is stored for \"{seen[hash]}\"");
            }
        }
    }

    /// <summary>Every broken rule of a route's authentication names and identity fields.</summary>
    public static IEnumerable<(string Path, string Reason)> RouteErrors(RoutePoliciesConfig? policies, string at, Dictionary<string, AuthenticationConfig> entries)
    {
        var names = policies?.Authentication ?? [];
        foreach (var error in ConfigValidator.NameListErrors(names, at + ".authentication", entries.Keys, "authentication entry", "authentication entries"))
        {
            yield return error;
        }

        if (policies?.Authorization is { } authorization)
        {
            if (names.Count == 0)
            {
                yield return (at + ".authorization", "authorization needs \"authentication\" on the route");
            }
            else if (authorization.Scopes.Count == 0 && authorization.Roles.Count == 0 && authorization.Claims.Count == 0)
            {
                yield return (at + ".authorization", "name what the caller must hold: \"scopes\", \"roles\" or \"claims\"");
            }
            else if (authorization.Scopes.Concat(authorization.Roles).Any(string.IsNullOrEmpty)
                || authorization.Claims.Any(claim => claim.Key.Length == 0 || claim.Value.Count == 0 || claim.Value.Any(string.IsNullOrEmpty)))
            {
                yield return (at + ".authorization", "scopes, roles, claim names and claim values must not be empty, and each claim lists at least one value");
            }
        }

        foreach (var (field, source) in policies?.IdentityHeaders ?? [])
        {
            var fieldAt = ConfigJson.Member(at + ".identityHeaders", field);
            if (names.Count == 0)
            {
                yield return (fieldAt, "identity fields need \"authentication\" on the route");
            }
            else if (ConfigValidator.FieldNameProblem(field) is { } problem)
            {
                yield return (fieldAt, problem);
            }
            else if (string.IsNullOrEmpty(source) || source.Any(char.IsControl))
            {
                yield return (fieldAt, "expected \"consumer\" or the name of a claim");
            }
        }
    }

    /// <summary>The signing algorithms a JWT entry may accept: asymmetric only, so no token is ever checked with a shared secret.</summary>
    public static readonly string[] Algorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    /// <summary>Reads a stored key hash ("sha256:" and 64 hex digits).</summary>
    public static bool TryParseHash(string? text, out byte[] hash)
    {
        hash = [];
        if (text is null || !text.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase) || text.Length != HashPrefix.Length + 64
            || text.AsSpan(HashPrefix.Length).ContainsAnyExcept(HexDigits))
        {
            return false;
        }

        hash = Convert.FromHexString(text.AsSpan(HashPrefix.Length));
        return true;
    }

    private static IEnumerable<(string Path, string Reason)> JwtErrors(JwtConfig jwt, string at)
    {
        if (string.IsNullOrEmpty(jwt.Issuer))
        {
            yield return (at + ".issuer", "name the issuer every token's \"iss\" must equal");
        }

        if (jwt.Audiences.Count == 0 || jwt.Audiences.Any(string.IsNullOrEmpty))
        {
            yield return (at + ".audiences", "name the audiences a token's \"aud\" must name one of");
        }

        if ((jwt.JwksUrl is null) == (jwt.Keys.Count == 0))
        {
            yield return (at, "name where the keys come from: \"jwksUrl\" or \"keys\" (PEM files), one of them");
        }
        else if (jwt.JwksUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == "https" || (uri.Scheme == "http" && uri.IsLoopback))))
        {
            yield return (at + ".jwksUrl", $"expected an https URL (http only on the loopback: anyone on the path could replace the keys), got \"{url}\"");
        }

        if (jwt.Algorithms.Count == 0)
        {
            yield return (at + ".algorithms", $"name the accepted signing algorithms, e.g. [\"RS256\"]; allowed: {ConfigJson.Quoted(Algorithms)}");
        }

        for (var i = 0; i < jwt.Algorithms.Count; i++)
        {
            if (!Algorithms.Contains(jwt.Algorithms[i]))
            {
                yield return ($"{at}.algorithms[{i}]", $"\"{jwt.Algorithms[i]}\" is not accepted (never \"none\", never HMAC); allowed: {ConfigJson.Quoted(Algorithms)}");
            }
        }

        foreach (var error in ConfigValidator.DurationErrors(jwt.ClockSkew, at + ".clockSkew", zeroAllowed: true))
        {
            yield return error;
        }
    }

    private static bool IsConsumerName(string name) =>
        name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
