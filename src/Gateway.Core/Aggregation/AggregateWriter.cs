using System.Buffers;
using System.Text.Json;

namespace Gateway.Core.Aggregation;

/// <summary>
/// Writes an aggregate's answer with <see cref="Utf8JsonWriter"/> straight from the parts' bytes: each part under its name
/// (copied as it came, or only its allowed members), or the members of every part in one object (the first part to name
/// a member keeps it), then the failed optional parts in <c>errors</c>. No document tree is built.
/// </summary>
internal static class AggregateWriter
{
    /// <summary>The member listing the failed optional parts; a part's own member of that name is left out when merging at the top.</summary>
    public const string ErrorsMember = "errors";

    /// <summary>The answer for <paramref name="parts"/> and their <paramref name="answers"/> (every one valid JSON, an object where members are picked).</summary>
    public static ReadOnlyMemory<byte> Write(AggregatePart[] parts, PartAnswer[] answers, bool top)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + answers.Sum(answer => answer.Body.Length));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            HashSet<string>? written = top ? new(StringComparer.Ordinal) { ErrorsMember } : null;
            for (var i = 0; i < parts.Length; i++)
            {
                if (!answers[i].Succeeded)
                {
                    continue;
                }

                var body = answers[i].Body.Span;
                if (top)
                {
                    WriteMembers(json, body, parts[i].Fields, written);
                }
                else if (parts[i].Fields is { } fields)
                {
                    json.WriteStartObject(parts[i].Name);
                    WriteMembers(json, body, fields, null);
                    json.WriteEndObject();
                }
                else
                {
                    json.WritePropertyName(parts[i].Name);
                    json.WriteRawValue(body, skipInputValidation: true);
                }
            }

            WriteErrors(json, parts, answers);
            json.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>True when <paramref name="body"/> is one valid JSON value, and an object when <paramref name="mustBeObject"/>.</summary>
    public static bool IsValid(ReadOnlySpan<byte> body, bool mustBeObject)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || (mustBeObject && reader.TokenType != JsonTokenType.StartObject))
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Copies the members of the object in <paramref name="body"/> that <paramref name="fields"/> allows (all when null) and <paramref name="written"/> does not hold yet.</summary>
    private static void WriteMembers(Utf8JsonWriter json, ReadOnlySpan<byte> body, HashSet<string>? fields, HashSet<string>? written)
    {
        var reader = new Utf8JsonReader(body);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if ((fields is null || fields.Contains(name)) && (written is null || written.Add(name)))
            {
                json.WritePropertyName(name);
                json.WriteRawValue(body[start..(int)reader.BytesConsumed], skipInputValidation: true);
            }
        }
    }

    private static void WriteErrors(Utf8JsonWriter json, AggregatePart[] parts, PartAnswer[] answers)
    {
        if (Array.TrueForAll(answers, answer => answer.Succeeded))
        {
            return;
        }

        json.WriteStartArray(ErrorsMember);
        for (var i = 0; i < parts.Length; i++)
        {
            if (answers[i].Problem is { } problem)
            {
                json.WriteStartObject();
                json.WriteString("part", parts[i].Name);
                json.WriteNumber("status", answers[i].Status);
                json.WriteString("detail", problem);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
    }
}
