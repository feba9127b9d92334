namespace Gateway.Core.Routing;

/// <summary>A piece of a compiled upstream path template: literal bytes, or '/' followed by a route parameter's value.</summary>
/// <param name="Literal">The bytes to write, slashes included; null for a parameter.</param>
/// <param name="Parameter">The index of the parameter among the route's parameters.</param>
/// <param name="IsCatchAll">A <c>{*name}</c> reference: when the value is empty, its '/' is left out too.</param>
internal readonly record struct RewritePart(byte[]? Literal, int Parameter, bool IsCatchAll);
