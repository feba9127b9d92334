using Gateway.Core.Http;

namespace Gateway.Core.Pipeline;

/// <summary>
/// Edits to one message's header fields, made by a request's steps: names whose fields are left out of the message
/// (the client's toward the upstream, or the handler's toward the client), and fields added to it. Setting a field is
/// removing the name and adding the new value. Reused request after request.
/// </summary>
public sealed class FieldEdits
{
    private readonly List<byte[]> _removed = [];

    /// <summary>The fields added, written after the message's own.</summary>
    public FieldList Added { get; } = new();

    /// <summary>True when any name is removed.</summary>
    public bool HasRemovals => _removed.Count > 0;

    /// <summary>Leaves the message's own fields named <paramref name="name"/> out (ASCII case-insensitive; pass a kept array, it is not copied).</summary>
    public void Remove(byte[] name) => _removed.Add(name);

    /// <summary>Replaces the message's own fields named <paramref name="name"/> with one of value <paramref name="value"/>.</summary>
    public void Set(byte[] name, scoped ReadOnlySpan<byte> value)
    {
        Remove(name);
        Added.Add(name, value);
    }

    /// <summary>
    /// True when the message's own field <paramref name="name"/> is left out. A name with '_' where the removed one has '-'
    /// is left out too: upstreams that read headers as CGI variables see <c>X_User_Id</c> and <c>X-User-Id</c> as one, so a
    /// client's look-alike must not stand beside a field the gateway sets.
    /// </summary>
    public bool Removes(ReadOnlySpan<byte> name)
    {
        foreach (var removed in _removed)
        {
            if (SameName(removed, name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameName(ReadOnlySpan<byte> removed, ReadOnlySpan<byte> name)
    {
        if (removed.Length != name.Length)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var (a, b) = (removed[i], name[i]);
            var same = a == b
                || (char.IsAsciiLetter((char)a) && (a | 0x20) == (b | 0x20))
                || (a is (byte)'-' or (byte)'_' && b is (byte)'-' or (byte)'_');
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Forgets the previous request's edits.</summary>
    public void Clear()
    {
        _removed.Clear();
        Added.Clear();
    }
}
