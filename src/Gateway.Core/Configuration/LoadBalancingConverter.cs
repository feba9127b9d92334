using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Core.Configuration;

/// <summary>Reads a cluster's load balancing: a policy name, or an object <c>{ "policy", "key", "header", "cookie" }</c> read by the generated contract.</summary>
internal sealed class LoadBalancingConverter : JsonConverter<LoadBalancingConfig>
{
    /// <inheritdoc/>
    public override LoadBalancingConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return ConfigJson.ReadNested(ref reader, ConfigJsonContext.Default.LoadBalancingConfig, "");
        }

        return EnumNameConverter<LoadBalancingMode>.TryRead(ref reader, out var policy)
            ? new LoadBalancingConfig { Policy = policy }
            : throw new ConfigValueException("", $"expected one of {ConfigJson.Quoted(Enum.GetNames<LoadBalancingMode>())}, or an object {{ \"policy\", ... }}");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, LoadBalancingConfig value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, ConfigJsonContext.Default.LoadBalancingConfig);
}
