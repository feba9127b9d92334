using System.Globalization;
using System.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Tests.Http;

/// <summary>One header field as the parser left it.</summary>
internal sealed record ParsedField(string Name, string Value, KnownHeader Known, bool HopByHop);

/// <summary>
/// Everything one parse decided, copied out of the parser's buffers (bytes as Latin-1, one char per byte) so that
/// runs over differently fed buffers can be compared, and table rows can name the fields they expect.
/// </summary>
internal sealed class HeadOutcome
{
    private HeadOutcome(HeadStatus status, int headLength, RequestError? error, RequestHead? head)
    {
        Status = status;
        HeadLength = headLength;
        Error = error;
        if (head is null)
        {
            return;
        }

        Method = Text(head.MethodBytes);
        Path = Text(head.PathBytes);
        Query = Text(head.QueryBytes);
        RouteHost = Text(head.RouteHostBytes);
        Authority = Text(head.AuthorityBytes);
        Version = head.Version;
        ContentLength = head.ContentLength;
        Chunked = head.Chunked;
        KeepAlive = head.KeepAlive;
        ExpectContinue = head.ExpectContinue;
        AcceptsTrailers = head.AcceptsTrailers;
        AsteriskForm = head.AsteriskForm;
        WebSocketUpgrade = head.WebSocketUpgrade;
        for (var i = 0; i < head.HeaderCount; i++)
        {
            Fields.Add(new ParsedField(Text(head.NameOf(i)), Text(head.ValueOf(i)), head.Headers[i].Known, head.Headers[i].HopByHop));
        }
    }

    public HeadStatus Status { get; }

    public int HeadLength { get; }

    public RequestError? Error { get; }

    public int ErrorStatus => Error?.Status ?? 0;

    public string Method { get; } = "";

    public string Path { get; } = "";

    public string Query { get; } = "";

    public string RouteHost { get; } = "";

    public string Authority { get; } = "";

    public HttpVersion Version { get; }

    public long ContentLength { get; }

    public bool Chunked { get; }

    public bool KeepAlive { get; }

    public bool ExpectContinue { get; }

    public bool AcceptsTrailers { get; }

    public bool AsteriskForm { get; }

    public bool WebSocketUpgrade { get; }

    public List<ParsedField> Fields { get; } = [];

    /// <summary>Captures a parse result; the parsed fields only when the head is complete.</summary>
    public static HeadOutcome Capture(HeadStatus status, int headLength, RequestError? error, RequestHead head) =>
        new(status, headLength, error, status == HeadStatus.Complete ? head : null);

    /// <summary>A canonical text of the outcome: status, error status, head length and every parsed field.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Status} error={ErrorStatus} headLength={HeadLength}");
        if (Status != HeadStatus.Complete)
        {
            return text.ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $" method={Method} path={Path} query={Query} host={RouteHost} authority={Authority}");
        text.Append(CultureInfo.InvariantCulture, $" version={Get("version")} length={ContentLength} chunked={Chunked} keepalive={KeepAlive}");
        text.Append(CultureInfo.InvariantCulture, $" continue={ExpectContinue} trailers={AcceptsTrailers} asterisk={AsteriskForm} websocket={WebSocketUpgrade}");
        foreach (var field in Fields)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  [{field.Name}]=[{field.Value}] {field.Known}{(field.HopByHop ? " hop" : "")}");
        }

        return text.ToString();
    }

    /// <summary>
    /// The value a table row names by <paramref name="key"/>: method, path, query, host (route host), authority,
    /// version (1.0/1.1), length, chunked, keepalive, continue, trailers, asterisk, websocket, count (header fields),
    /// value:NAME, known:NAME, hop:NAME (the first field called NAME, case-insensitive; "(none)" when absent).
    /// </summary>
    public string Get(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var name = key[(colon + 1)..];
            var field = Fields.Find(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            return field is null ? "(none)" : key[..colon] switch
            {
                "value" => field.Value,
                "known" => field.Known.ToString(),
                "hop" => Bool(field.HopByHop),
                _ => throw new ArgumentException($"Unknown expectation key '{key}'.", nameof(key)),
            };
        }

        return key switch
        {
            "method" => Method,
            "path" => Path,
            "query" => Query,
            "host" => RouteHost,
            "authority" => Authority,
            "version" => Version == HttpVersion.Http10 ? "1.0" : "1.1",
            "length" => ContentLength.ToString(CultureInfo.InvariantCulture),
            "chunked" => Bool(Chunked),
            "keepalive" => Bool(KeepAlive),
            "continue" => Bool(ExpectContinue),
            "trailers" => Bool(AcceptsTrailers),
            "asterisk" => Bool(AsteriskForm),
            "websocket" => Bool(WebSocketUpgrade),
            "count" => Fields.Count.ToString(CultureInfo.InvariantCulture),
            _ => throw new ArgumentException($"Unknown expectation key '{key}'.", nameof(key)),
        };
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}
