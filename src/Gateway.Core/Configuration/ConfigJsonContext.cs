using System.Text.Json.Serialization;
using System.Text.Json;
using Gateway.Core.RateLimiting;
using Gateway.Core.Upstreams.LoadBalancing;

namespace Gateway.Core.Configuration;

/// <summary>
/// The configuration file's JSON contract, generated at build time (no reflection, so the loader trims and compiles
/// ahead of time): camelCase names, comments and trailing commas allowed, unknown or duplicate properties rejected,
/// nulls rejected where the model is not nullable, enums read from their names only.
/// </summary>
/// <remarks>
/// Every type reachable from <see cref="GatewayConfig"/> (records, lists, dictionaries) is generated from the one
/// <c>[JsonSerializable]</c> below, so a new record or property needs nothing here, with one rule: model properties are
/// <c>{ get; set; }</c>, not <c>init</c>. The generator fills a type with init-only properties through one object
/// initializer that sets all of them, so a property left out of the file would get null or 0 instead of its initializer
/// (dotnet/runtime#84484). A new enum needs one line: add <c>typeof(EnumNameConverter&lt;TheEnum&gt;)</c> to
/// <c>Converters</c>; without it the enum is read as a number. ConfigContractTests checks both rules for every reachable type.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true,
    GenerationMode = JsonSourceGenerationMode.Metadata,
    Converters =
    [
        typeof(EnumNameConverter<LoadBalancingMode>),
        typeof(EnumNameConverter<HashKeyKind>),
        typeof(EnumNameConverter<RateLimitKeyKind>),
        typeof(EnumNameConverter<RateLimitScope>),
        typeof(EnumNameConverter<RedisFailureMode>),
        typeof(EnumNameConverter<AggregateMerge>),
    ])]
[JsonSerializable(typeof(GatewayConfig))]
[JsonSerializable(typeof(DestinationConfig))]
[JsonSerializable(typeof(List<DestinationConfig>))]
[JsonSerializable(typeof(LoadBalancingConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;

/// <summary>Reads an enum from exactly one of its names, in any case: never from a number, a list of names, or a name with spaces around it.</summary>
internal sealed class EnumNameConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    /// <inheritdoc/>
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TryRead(ref reader, out var value) ? value : throw new JsonException($"expected one of {ConfigJson.Quoted(Enum.GetNames<TEnum>())}");

    /// <summary>Reads the name at <paramref name="reader"/>; false when it is not a string naming one of the values.</summary>
    public static bool TryRead(ref Utf8JsonReader reader, out TEnum value)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        var known = Enum.GetNames<TEnum>().FirstOrDefault(name => name.Equals(text, StringComparison.OrdinalIgnoreCase));
        value = known is null ? default : Enum.Parse<TEnum>(known);
        return known is not null;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
