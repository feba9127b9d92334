using System.Text;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>One request as a test upstream received it: method, raw target, every header line, trailers and the body.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Target,
    string Protocol,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    IReadOnlyList<KeyValuePair<string, string>> Trailers,
    byte[] Body,
    long BodyLength,
    string BodySha256)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The field's values (any case) joined with ", ", or null when the upstream did not receive it.</summary>
    public string? Header(string name)
    {
        var values = Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }
}
