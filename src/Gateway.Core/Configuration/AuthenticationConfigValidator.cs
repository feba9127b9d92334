namespace Gateway.Core.Configuration;

/// <summary>The rules of the "authentication" entries, and of a route's authentication, identity fields and consumer-keyed rate limits.</summary>
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

        if (entry?.ApiKey is not { } apiKey)
        {
            yield return (at, "expected { \"apiKey\": { ... } }");
            yield break;
        }

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

    private static bool IsConsumerName(string name) =>
        name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
