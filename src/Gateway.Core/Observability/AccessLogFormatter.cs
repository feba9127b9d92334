using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Gateway.Core.Observability;

/// <summary>Formats an <see cref="AccessLogRecord"/> as a JSON object or as a common-log-format line.</summary>
internal static class AccessLogFormatter
{
    /// <summary>The longest time <see cref="FormatTime"/> writes.</summary>
    internal const int TimeBytes = 33;

    /// <summary>The longest number <see cref="FormatMilliseconds"/> writes.</summary>
    internal const int MillisecondsBytes = 24;

    /// <summary>Writes the JSON object (without the newline).</summary>
    public static void WriteJson(Utf8JsonWriter json, scoped in AccessLogRecord record)
    {
        json.WriteStartObject();
        json.WriteString("time"u8, record.Timestamp);
        json.WriteString("request_id"u8, record.RequestId);
        json.WriteString("trace_id"u8, record.TraceId);
        json.WriteString("client_ip"u8, record.ClientAddress);
        WriteOptional(json, "method"u8, record.Method);
        if (record.Path.IsEmpty && record.Query.IsEmpty)
        {
            json.WriteNull("path"u8);
        }
        else if (record.Query.IsEmpty)
        {
            json.WriteString("path"u8, record.Path);
        }
        else
        {
            json.WritePropertyName("path"u8);
            json.WriteStringValueSegment(record.Path, isFinalSegment: false);
            json.WriteStringValueSegment(record.Query, isFinalSegment: true);
        }

        WriteOptional(json, "protocol"u8, record.Protocol);
        WriteOptional(json, "route"u8, record.Route);
        json.WriteNumber("status"u8, record.Status);
        WriteOptional(json, "upstream"u8, record.Upstream);
        if (record.Tries > 0)
        {
            json.WriteNumber("tries"u8, record.Tries);
        }

        WriteMilliseconds(json, "duration_ms"u8, record.DurationMilliseconds);
        if (record.UpstreamMilliseconds >= 0)
        {
            WriteMilliseconds(json, "upstream_ms"u8, record.UpstreamMilliseconds);
        }
        else
        {
            json.WriteNull("upstream_ms"u8);
        }

        json.WriteNumber("bytes_in"u8, record.BytesIn);
        json.WriteNumber("bytes_out"u8, record.BytesOut);
        WriteOptional(json, "consumer"u8, record.Consumer);
        json.WriteEndObject();
    }

    /// <summary>Writes <c>client - consumer [time] "METHOD target HTTP/1.x" status bytes</c> (without the newline; '-' for what is unknown).</summary>
    public static void WriteCommon(IBufferWriter<byte> output, scoped in AccessLogRecord record)
    {
        Write(output, record.ClientAddress);
        output.Write(" - "u8);
        Write(output, string.IsNullOrEmpty(record.Consumer) ? "-" : record.Consumer);
        output.Write(" ["u8);
        var span = output.GetSpan(32);
        record.Timestamp.UtcDateTime.TryFormat(span, out var written, "dd/MMM/yyyy:HH:mm:ss +0000", System.Globalization.CultureInfo.InvariantCulture);
        output.Advance(written);
        output.Write("] \""u8);
        output.Write(record.Method.IsEmpty ? "-"u8 : record.Method);
        output.Write(" "u8);
        output.Write(record.Path.IsEmpty ? "-"u8 : record.Path);
        output.Write(record.Query);
        output.Write(" "u8);
        output.Write(record.Protocol.IsEmpty ? "-"u8 : record.Protocol);
        output.Write("\" "u8);
        WriteNumber(output, record.Status);
        output.Write(" "u8);
        WriteNumber(output, record.BytesOut);
    }

    /// <summary>Writes <paramref name="milliseconds"/> as <see cref="FormatMilliseconds"/> does, as the value of <paramref name="name"/>.</summary>
    internal static void WriteMilliseconds(Utf8JsonWriter json, ReadOnlySpan<byte> name, double milliseconds)
    {
        Span<byte> text = stackalloc byte[MillisecondsBytes];
        json.WritePropertyName(name);
        json.WriteRawValue(text[..FormatMilliseconds(text, milliseconds)], skipInputValidation: true);
    }

    /// <summary>
    /// Formats <paramref name="milliseconds"/> rounded to the microsecond, as a number with at most three decimals and no
    /// trailing zeros (12.5, 0.747, 3), from whole microseconds: formatting the double itself cost more than the rest of
    /// the line's numbers together. Returns the bytes written (at most <see cref="MillisecondsBytes"/>).
    /// </summary>
    internal static int FormatMilliseconds(Span<byte> text, double milliseconds)
    {
        var microseconds = (long)Math.Round(Math.Max(milliseconds, 0) * 1000);
        Utf8Formatter.TryFormat(microseconds / 1000, text, out var length);
        var fraction = (int)(microseconds % 1000);
        if (fraction != 0)
        {
            var digits = 3;
            for (; fraction % 10 == 0; fraction /= 10)
            {
                digits--;
            }

            text[length++] = (byte)'.';
            Utf8Formatter.TryFormat(fraction, text[length..], out var written, new StandardFormat('D', (byte)digits));
            length += written;
        }

        return length;
    }

    /// <summary>
    /// Formats <paramref name="time"/> as <c>Utf8JsonWriter</c> writes a <see cref="DateTimeOffset"/>: ISO 8601 with the
    /// fraction of the second cut after its last non-zero digit (<c>2026-11-27T22:34:02.5+00:00</c>, no fraction when it is
    /// zero). Returns the bytes written (at most <see cref="TimeBytes"/>).
    /// </summary>
    internal static int FormatTime(Span<byte> text, DateTimeOffset time)
    {
        const int FractionStart = 20; // after "yyyy-MM-ddTHH:mm:ss."
        const int FractionDigits = 7;
        Utf8Formatter.TryFormat(time, text, out var length, new StandardFormat('O'));
        var kept = FractionDigits;
        while (kept > 0 && text[FractionStart + kept - 1] == (byte)'0')
        {
            kept--;
        }

        var end = kept == 0 ? FractionStart - 1 : FractionStart + kept;
        var offset = text[(FractionStart + FractionDigits)..length];
        offset.CopyTo(text[end..]);
        return end + offset.Length;
    }

    private static void WriteOptional(Utf8JsonWriter json, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void Write(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static void WriteNumber(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }
}
