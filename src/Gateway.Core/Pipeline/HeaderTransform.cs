namespace Gateway.Core.Pipeline;

/// <summary>One direction's header edits: names removed, then fields set (a set field replaces the message's own).</summary>
public sealed class HeaderTransform(IReadOnlyList<(byte[] Name, ValueTemplate Value)> set, IReadOnlyList<byte[]> remove)
{
    /// <summary>True when no parameter of <paramref name="context"/> makes a set value unsafe.</summary>
    public bool IsSafeFor(RequestContext context)
    {
        foreach (var (_, value) in set)
        {
            if (!value.IsSafeFor(context))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Records the edits in <paramref name="edits"/>.</summary>
    public void ApplyTo(FieldEdits edits, RequestContext context)
    {
        foreach (var name in remove)
        {
            edits.Remove(name);
        }

        foreach (var (name, value) in set)
        {
            edits.Remove(name);
            value.AddTo(edits.Added, name, context);
        }
    }
}
