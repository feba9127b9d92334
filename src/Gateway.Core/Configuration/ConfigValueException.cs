using System.Text.Json;

namespace Gateway.Core.Configuration;

/// <summary>
/// A value a configuration converter refused, with where it is below the converter's value (<see cref="RelativePath"/>,
/// e.g. <c>[1].weight</c>) and why: the serializer adds the converter's own path, and <see cref="ConfigJson"/> joins the two.
/// </summary>
internal sealed class ConfigValueException(string relativePath, string reason) : JsonException(reason)
{
    /// <summary>The path below the converter's value, empty for the value itself.</summary>
    public string RelativePath { get; } = relativePath;

    /// <summary>What is wrong, in words.</summary>
    public string Reason { get; } = reason;
}
