using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Core.Configuration;

/// <summary>Reads a cluster's destinations: each a URL string, or an object <c>{ "url", "weight" }</c> read by the generated contract.</summary>
internal sealed class DestinationListConverter : JsonConverter<List<DestinationConfig>>
{
    /// <inheritdoc/>
    public override List<DestinationConfig> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new ConfigValueException("", "expected an array of destination URLs or { \"url\", \"weight\" } objects");
        }

        var destinations = new List<DestinationConfig>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var at = $"[{destinations.Count}]";
            destinations.Add(reader.TokenType switch
            {
                JsonTokenType.String => new DestinationConfig { Url = reader.GetString()! },
                JsonTokenType.StartObject => ConfigJson.ReadNested(ref reader, ConfigJsonContext.Default.DestinationConfig, at),
                _ => throw new ConfigValueException(at, "expected a destination URL or { \"url\", \"weight\" }"),
            });
        }

        return destinations;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, List<DestinationConfig> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, ConfigJsonContext.Default.ListDestinationConfig);
}
