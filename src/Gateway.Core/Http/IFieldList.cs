namespace Gateway.Core.Http;

/// <summary>Header fields as bytes, in order: how steps read a response's fields whatever produced it.</summary>
public interface IFieldList
{
    /// <summary>Number of fields.</summary>
    int Count { get; }

    /// <summary>The name bytes of field <paramref name="index"/>.</summary>
    ReadOnlySpan<byte> NameOf(int index);

    /// <summary>The value bytes of field <paramref name="index"/>.</summary>
    ReadOnlySpan<byte> ValueOf(int index);
}
