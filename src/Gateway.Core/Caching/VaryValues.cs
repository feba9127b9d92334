using Gateway.Core.Http;

namespace Gateway.Core.Caching;

/// <summary>The request fields a stored response varies on and the values the request that fetched it had: a later request may use it only when its values are the same.</summary>
internal sealed class VaryValues(string[] names, string?[] values)
{
    private readonly byte[][] _nameBytes = [.. names.Select(System.Text.Encoding.ASCII.GetBytes)];

    /// <summary>A response that varies on nothing.</summary>
    public static readonly VaryValues Nothing = new([], []);

    /// <summary>The field names, lower case.</summary>
    public string[] Names { get; } = names;

    /// <summary>Reads the names from a response's <c>Vary</c> fields and the request's values of them; null for <c>Vary: *</c>.</summary>
    public static VaryValues? Of(IFieldList response, RequestHead request)
    {
        if (NamesOf(response) is not { } names)
        {
            return null;
        }

        if (names.Length == 0)
        {
            return Nothing;
        }

        var vary = new VaryValues(names, new string?[names.Length]);
        for (var i = 0; i < names.Length; i++)
        {
            vary.Values[i] = ValueIn(request, vary._nameBytes[i]);
        }

        return vary;
    }

    /// <summary>The field names a response's <c>Vary</c> fields list (lower case, each once), or null for <c>Vary: *</c>.</summary>
    public static string[]? NamesOf(IFieldList response)
    {
        var names = new List<string>();
        for (var i = 0; i < response.Count; i++)
        {
            if (!HttpSyntax.EqualsIgnoreCase(response.NameOf(i), "Vary"u8))
            {
                continue;
            }

            var value = response.ValueOf(i);
            foreach (var range in value.Split((byte)','))
            {
                var name = value[range].Trim((byte)' ').Trim((byte)'\t');
                if (name.SequenceEqual("*"u8))
                {
                    return null;
                }

                var text = System.Text.Encoding.ASCII.GetString(name).ToLowerInvariant();
                if (text.Length > 0 && !names.Contains(text))
                {
                    names.Add(text);
                }
            }
        }

        return [.. names];
    }

    /// <summary>True when <paramref name="request"/> has the same values of every varied field (absent matches absent).</summary>
    public bool Matches(RequestHead request)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (ValueIn(request, _nameBytes[i]) != values[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when it varies on the same fields with the same values as <paramref name="other"/>.</summary>
    public bool SameAs(VaryValues other) => Names.SequenceEqual(other.Names) && values.SequenceEqual(other.Values);

    /// <summary>The fetching request's value of field <paramref name="index"/>, or null when it had none.</summary>
    public string? ValueAt(int index) => values[index];

    private string?[] Values => values;

    /// <summary>The request's values of <paramref name="name"/>, joined as one list with whitespace around commas removed; null when absent.</summary>
    private static string? ValueIn(RequestHead request, ReadOnlySpan<byte> name)
    {
        string? joined = null;
        for (var i = 0; i < request.HeaderCount; i++)
        {
            if (HttpSyntax.EqualsIgnoreCase(request.NameOf(i), name))
            {
                var value = System.Text.Encoding.Latin1.GetString(request.ValueOf(i)).Replace(", ", ",").Trim();
                joined = joined is null ? value : joined + "," + value;
            }
        }

        return joined;
    }
}
