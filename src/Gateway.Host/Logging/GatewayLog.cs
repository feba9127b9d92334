using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Core.Observability;
using Microsoft.Extensions.Logging;

namespace Gateway.Host.Logging;

/// <summary>
/// The one writer of the gateway's own messages (start, listeners, drain, reloads, Redis, TLS, warnings of the libraries
/// it runs on): one line each on stderr, as text or as a JSON object (GATEWAY_LOG_FORMAT), so that stdout keeps only the
/// access log. A stack trace is written only for an error nobody expected.
/// </summary>
public sealed class GatewayLog(GatewayLogFormat format, TextWriter output)
{
    /// <summary>The category of the process's own lines (start, refusals, drain); in text they read <c>gateway: message</c>.</summary>
    public const string ProcessCategory = "gateway";

    /// <summary>The properties of every JSON line; a message's own values of the same name are left out.</summary>
    private static readonly string[] Reserved = ["time", "level", "event", "category", "message", "exception"];

    /// <summary>Readable JSON: quotes and non-ASCII text stay as they are (no HTML is ever built from a log line).</summary>
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The format lines are written in.</summary>
    public GatewayLogFormat Format { get; } = format;

    /// <summary>Writes a line of the process itself: <paramref name="name"/> is its stable event name.</summary>
    public void Process(LogLevel level, string name, string message) =>
        Write(level, ProcessCategory, new EventId(0, name), message, [], null);

    /// <summary>
    /// Writes one message: <paramref name="fields"/> are its named values (from a message template), written as JSON
    /// properties of their own; <paramref name="exception"/>, if any, as its message, or whole for an error.
    /// </summary>
    public void Write(LogLevel level, string category, EventId id, string message, IReadOnlyList<KeyValuePair<string, object?>> fields, Exception? exception)
    {
        var line = Format == GatewayLogFormat.Json ? Json(level, category, id, message, fields, exception) : Text(level, category, id, message, exception);
        output.WriteLine(line);
    }

    private static string Text(LogLevel level, string category, EventId id, string message, Exception? exception)
    {
        var line = new StringBuilder();
        line.Append(category == ProcessCategory ? "gateway: " : $"{TextLevel(level)}: {category}[{id.Id}] ").Append(message);
        if (exception is not null)
        {
            line.Append(' ').Append(Describe(level, exception).ReplaceLineEndings(" "));
        }

        return line.ToString();
    }

    private static string Json(LogLevel level, string category, EventId id, string message, IReadOnlyList<KeyValuePair<string, object?>> fields, Exception? exception)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("time"u8, DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level"u8, JsonLevel(level));
            json.WriteString("event"u8, id.Name ?? (id.Id == 0 ? "message" : id.Id.ToString(CultureInfo.InvariantCulture)));
            json.WriteString("category"u8, category);
            json.WriteString("message"u8, message);
            foreach (var (key, value) in fields)
            {
                var name = key.Length == 0 ? key : char.ToLowerInvariant(key[0]) + key[1..];
                if (name.Length > 0 && !key.StartsWith('{') && !Reserved.Contains(name))
                {
                    WriteValue(json, name, value);
                }
            }

            if (exception is not null)
            {
                json.WriteString("exception"u8, Describe(level, exception));
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteValue(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(name);
                break;
            case bool flag:
                json.WriteBoolean(name, flag);
                break;
            case int number:
                json.WriteNumber(name, number);
                break;
            case long number:
                json.WriteNumber(name, number);
                break;
            case DateTime time:
                json.WriteString(name, time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                break;
            case IFormattable formattable:
                json.WriteString(name, formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteString(name, value.ToString());
                break;
        }
    }

    /// <summary>An error nobody expected keeps its stack trace (it is a bug to report); anything milder, its message only.</summary>
    private static string Describe(LogLevel level, Exception exception) =>
        level >= LogLevel.Error ? exception.ToString() : $"{exception.GetType().Name}: {exception.Message}";

    /// <summary>The level as .NET's console logger writes it in text, so text lines read as they always have.</summary>
    private static string TextLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private static string JsonLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "critical",
    };
}
