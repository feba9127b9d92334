using System.Text;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>How a response body was delimited on the wire.</summary>
internal enum BodyFraming
{
    /// <summary>No body (HEAD, 1xx, 204, 304).</summary>
    None,

    /// <summary>By Content-Length.</summary>
    ContentLength,

    /// <summary>By the chunked transfer coding.</summary>
    Chunked,

    /// <summary>By the server closing the connection.</summary>
    Close,
}

/// <summary>A response exactly as it was read off the wire: status line, header lines in order, the de-framed body and how it was framed.</summary>
internal sealed class RawResponse
{
    /// <summary>The protocol version of the status line, e.g. "HTTP/1.1".</summary>
    public required string Version { get; init; }

    /// <summary>The status code.</summary>
    public required int Status { get; init; }

    /// <summary>The reason phrase.</summary>
    public required string Reason { get; init; }

    /// <summary>The header fields in wire order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    /// <summary>The body after removing its framing.</summary>
    public required byte[] Body { get; init; }

    /// <summary>How the body was delimited.</summary>
    public required BodyFraming Framing { get; init; }

    /// <summary>Number of data chunks when the body was chunked.</summary>
    public int Chunks { get; init; }

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>All values of the field <paramref name="name"/> (any case), one per header line.</summary>
    public IReadOnlyList<string> Values(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();

    /// <summary>The field's values joined with ", ", or null when absent.</summary>
    public string? Header(string name) => Values(name) is { Count: > 0 } values ? string.Join(", ", values) : null;

    /// <summary>True when the Connection field lists <paramref name="option"/>.</summary>
    public bool ConnectionHas(string option) =>
        Values("Connection").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries))
            .Any(t => t.Equals(option, StringComparison.OrdinalIgnoreCase));
}
