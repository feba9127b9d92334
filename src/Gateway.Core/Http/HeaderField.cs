namespace Gateway.Core.Http;

/// <summary>One request header field as offsets into the connection's head buffer.</summary>
internal struct HeaderField
{
    /// <summary>Offset of the field name.</summary>
    public int NameStart;

    /// <summary>Length of the field name.</summary>
    public int NameLength;

    /// <summary>Offset of the value (surrounding whitespace trimmed).</summary>
    public int ValueStart;

    /// <summary>Length of the value.</summary>
    public int ValueLength;

    /// <summary>Which field this is, when the front cares.</summary>
    public KnownHeader Known;

    /// <summary>
    /// True when the field is never passed on as it is: hop-by-hop (<see cref="HeaderRules"/>), named in Connection, a look-alike of a
    /// framing field, or, in an upstream response, one the gateway writes itself.
    /// </summary>
    public bool HopByHop;
}
