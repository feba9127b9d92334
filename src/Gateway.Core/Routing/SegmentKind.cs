namespace Gateway.Core.Routing;

/// <summary>What a template segment matches: itself, one whole segment, or the rest of the path.</summary>
internal enum SegmentKind
{
    /// <summary>Literal text, compared ASCII case-insensitively.</summary>
    Literal,

    /// <summary><c>{name}</c>: exactly one non-empty segment.</summary>
    Parameter,

    /// <summary><c>{*name}</c>: the remainder of the path, possibly empty.</summary>
    CatchAll,
}
