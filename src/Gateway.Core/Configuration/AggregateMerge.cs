namespace Gateway.Core.Configuration;

/// <summary>How an aggregate puts its parts' JSON together.</summary>
public enum AggregateMerge
{
    /// <summary>Each part's JSON is the member named after the part.</summary>
    ByName,

    /// <summary>Each part's object members are members of the answer itself (the first part to name a member keeps it).</summary>
    Top,
}
