using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Gateway.Core.Observability;

/// <summary>
/// The access log's JSON line written byte by byte for the usual request, whose text needs no escaping (printable ASCII
/// without quote or backslash): the same bytes as <see cref="AccessLogFormatter.WriteJson"/> at about half its cost,
/// since <c>Utf8JsonWriter</c> checks every name and value for characters to escape. A line with anything else in it
/// is left to the writer.
/// </summary>
internal static class PlainJsonLine
{
    /// <summary>What the line needs besides its texts: the names, quotes, numbers, the time and the nulls.</summary>
    private const int FixedBytes = 400;

    /// <summary>Bytes a JSON string holds as they are: printable ASCII except the quote and the backslash.</summary>
    private static readonly SearchValues<byte> PlainBytes = SearchValues.Create(PlainAscii().Select(c => (byte)c).ToArray());

    /// <summary>The same, as characters.</summary>
    private static readonly SearchValues<char> PlainChars = SearchValues.Create(PlainAscii().ToArray());

    /// <summary>Writes the line (without the newline) and returns true, or writes nothing and returns false when a text needs escaping.</summary>
    public static bool TryWrite(IBufferWriter<byte> output, scoped in AccessLogRecord record)
    {
        if (!IsPlain(record.RequestId) || !IsPlain(record.TraceId) || !IsPlain(record.ClientAddress) || !IsPlain(record.Method)
            || !IsPlain(record.Path) || !IsPlain(record.Query) || !IsPlain(record.Protocol) || !IsPlain(record.Route)
            || !IsPlain(record.Upstream) || !IsPlain(record.Consumer))
        {
            return false;
        }

        var line = new Line(output.GetSpan(FixedBytes + record.RequestId.Length + record.TraceId.Length + record.ClientAddress.Length
            + record.Method.Length + record.Path.Length + record.Query.Length + record.Protocol.Length + (record.Route?.Length ?? 0)
            + (record.Upstream?.Length ?? 0) + (record.Consumer?.Length ?? 0)));
        line.Raw("{\"time\":\""u8);
        line.Length += AccessLogFormatter.FormatTime(line.Rest, record.Timestamp);
        line.Raw("\",\"request_id\":"u8);
        line.Text(record.RequestId);
        line.Raw(",\"trace_id\":"u8);
        line.Text(record.TraceId);
        line.Raw(",\"client_ip\":"u8);
        line.Text(record.ClientAddress);
        line.Raw(",\"method\":"u8);
        line.TextOrNull(record.Method);
        line.Raw(",\"path\":"u8);
        if (record.Path.IsEmpty && record.Query.IsEmpty)
        {
            line.Raw("null"u8);
        }
        else
        {
            line.Raw("\""u8);
            line.Raw(record.Path);
            line.Raw(record.Query);
            line.Raw("\""u8);
        }

        line.Raw(",\"protocol\":"u8);
        line.TextOrNull(record.Protocol);
        line.Raw(",\"route\":"u8);
        line.TextOrNull(record.Route);
        line.Raw(",\"status\":"u8);
        line.Number(record.Status);
        line.Raw(",\"upstream\":"u8);
        line.TextOrNull(record.Upstream);
        if (record.Tries > 0)
        {
            line.Raw(",\"tries\":"u8);
            line.Number(record.Tries);
        }

        line.Raw(",\"duration_ms\":"u8);
        line.Length += AccessLogFormatter.FormatMilliseconds(line.Rest, record.DurationMilliseconds);
        line.Raw(",\"upstream_ms\":"u8);
        if (record.UpstreamMilliseconds >= 0)
        {
            line.Length += AccessLogFormatter.FormatMilliseconds(line.Rest, record.UpstreamMilliseconds);
        }
        else
        {
            line.Raw("null"u8);
        }

        line.Raw(",\"bytes_in\":"u8);
        line.Number(record.BytesIn);
        line.Raw(",\"bytes_out\":"u8);
        line.Number(record.BytesOut);
        line.Raw(",\"consumer\":"u8);
        line.TextOrNull(record.Consumer);
        line.Raw("}"u8);
        output.Advance(line.Length);
        return true;
    }

    private static bool IsPlain(ReadOnlySpan<byte> text) => !text.ContainsAnyExcept(PlainBytes);

    private static bool IsPlain(string? text) => text is null || !text.AsSpan().ContainsAnyExcept(PlainChars);

    private static IEnumerable<char> PlainAscii() => Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c).Where(c => c is not ('"' or '\\'));

    /// <summary>The line being written into a span long enough for it.</summary>
    private ref struct Line(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;

        /// <summary>Bytes written so far.</summary>
        public int Length;

        /// <summary>What is left of the span.</summary>
        public readonly Span<byte> Rest => _buffer[Length..];

        public void Raw(scoped ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(Rest);
            Length += bytes.Length;
        }

        public void Text(scoped ReadOnlySpan<byte> text)
        {
            Raw("\""u8);
            Raw(text);
            Raw("\""u8);
        }

        public void Text(string text)
        {
            Raw("\""u8);
            Length += Encoding.ASCII.GetBytes(text, Rest);
            Raw("\""u8);
        }

        public void TextOrNull(scoped ReadOnlySpan<byte> text)
        {
            if (text.IsEmpty)
            {
                Raw("null"u8);
            }
            else
            {
                Text(text);
            }
        }

        public void TextOrNull(string? text)
        {
            if (text is null)
            {
                Raw("null"u8);
            }
            else
            {
                Text(text);
            }
        }

        public void Number(long value)
        {
            Utf8Formatter.TryFormat(value, Rest, out var written);
            Length += written;
        }
    }
}
