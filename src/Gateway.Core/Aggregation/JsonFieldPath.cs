using System.Text;
using System.Text.Json;

namespace Gateway.Core.Aggregation;

/// <summary>
/// A field of a part's JSON answer named in a template: members and array indexes, e.g. <c>items[0].id</c>. Found by
/// reading the answer's bytes, without building a document; only a string, number or boolean is a value.
/// </summary>
internal sealed class JsonFieldPath
{
    private readonly object[] _steps;

    private JsonFieldPath(object[] steps, string text)
    {
        _steps = steps;
        Text = text;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>Reads <paramref name="text"/> (<c>name</c>, <c>name.other</c>, <c>list[2].name</c>); null with <paramref name="problem"/> when it is not one.</summary>
    public static JsonFieldPath? Parse(string text, out string problem)
    {
        problem = "";
        var steps = new List<object>();
        var at = 0;
        while (at < text.Length)
        {
            if (text[at] == '[')
            {
                var close = text.IndexOf(']', at);
                if (close < 0 || !int.TryParse(text.AsSpan(at + 1, close - at - 1), System.Globalization.NumberStyles.None, null, out var index))
                {
                    problem = $"\"{text}\": an index is written [0], [1], ...";
                    return null;
                }

                steps.Add(index);
                at = close + 1;
                if (at < text.Length && text[at] == '.')
                {
                    at++;
                }

                continue;
            }

            var end = text.IndexOfAny(['.', '['], at);
            end = end < 0 ? text.Length : end;
            if (end == at)
            {
                problem = $"\"{text}\": a member name is empty";
                return null;
            }

            steps.Add(text[at..end]);
            at = end < text.Length && text[end] == '.' ? end + 1 : end;
            if (end < text.Length && text[end] == '.' && at == text.Length)
            {
                problem = $"\"{text}\": a member name is empty";
                return null;
            }
        }

        if (steps.Count == 0)
        {
            problem = "a field of a part is written {part.member}";
            return null;
        }

        return new JsonFieldPath([.. steps], text);
    }

    /// <summary>The field's value in <paramref name="json"/> as text (a string's content, a number or boolean as written), or null when it is absent or not such a value.</summary>
    public string? Find(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read())
            {
                return null;
            }

            foreach (var step in _steps)
            {
                if (!(step is string name ? EnterMember(ref reader, name) : EnterElement(ref reader, (int)step)))
                {
                    return null;
                }
            }

            return reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Moves from an object's start to the value of its member <paramref name="name"/>.</summary>
    private static bool EnterMember(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>Moves from an array's start to its element <paramref name="index"/>.</summary>
    private static bool EnterElement(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            if (i == index)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }
}
