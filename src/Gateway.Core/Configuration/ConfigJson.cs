using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Gateway.Core.Configuration;

/// <summary>The JSON reading rules of the configuration file, and the translation of System.Text.Json errors into <see cref="ConfigException"/>.</summary>
internal static partial class ConfigJson
{
    /// <summary>
    /// The options the file is read with, from the generated <see cref="ConfigJsonContext"/> (where the rules are declared):
    /// camelCase names, comments and trailing commas allowed, unknown or duplicate properties and nulls rejected.
    /// </summary>
    public static JsonSerializerOptions Options => ConfigJsonContext.Default.Options;

    /// <summary>Characters for which System.Text.Json writes a property as <c>['name']</c> in a path instead of <c>.name</c>.</summary>
    private static readonly SearchValues<char> BracketedNameChars = SearchValues.Create("\b\t\n\f\r \"'()./[\\]\u0085\u2028\u2029");

    /// <summary>The JSON path of property <paramref name="name"/> of the object at <paramref name="parent"/>, written as System.Text.Json writes it.</summary>
    public static string Member(string parent, string name) =>
        name.AsSpan().ContainsAny(BracketedNameChars) ? $"{parent}['{name}']" : $"{parent}.{name}";

    /// <summary>Writes names as a list for an error message: <c>"a", "b"</c>.</summary>
    public static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));

    /// <summary>
    /// Reads the object at <paramref name="reader"/> with the generated contract <paramref name="info"/>, from inside a converter;
    /// an error in it becomes a <see cref="ConfigValueException"/> at <paramref name="at"/> plus its path within the object.
    /// </summary>
    public static T ReadNested<T>(ref Utf8JsonReader reader, JsonTypeInfo<T> info, string at)
    {
        try
        {
            return JsonSerializer.Deserialize(ref reader, info) ?? throw new ConfigValueException(at, "expected an object, got null");
        }
        catch (JsonException error) when (error is not ConfigValueException && error.InnerException is not JsonException)
        {
            var inner = error.Path ?? "$";
            throw new ConfigValueException(at + inner[1..], Explain(inner, error.Message, typeof(T)));
        }
    }

    /// <summary>Turns a deserialization error into a <see cref="ConfigException"/> with the JSON path and a plain reason.</summary>
    public static ConfigException ToConfigException(JsonException error, string source)
    {
        var path = error.Path ?? "$";
        if (error is ConfigValueException value)
        {
            return new ConfigException(source, path + value.RelativePath, value.Reason);
        }

        if (error.InnerException is JsonException syntax)
        {
            var detail = syntax.Message.Split(" LineNumber:", 2)[0];
            return new ConfigException(source, path,
                $"invalid JSON at line {error.LineNumber + 1}, column {error.BytePositionInLine + 1}: {detail}");
        }

        return new ConfigException(source, path, Explain(path, error.Message, typeof(GatewayConfig)));
    }

    /// <summary>Says what the model expects at <paramref name="path"/>, found by walking the generated JSON contract from <paramref name="root"/> along it.</summary>
    private static string Explain(string path, string message, Type root)
    {
        var type = root;
        var name = "";
        foreach (Match segment in PathSegment().Matches(path))
        {
            var info = Options.GetTypeInfo(type);
            name = segment.Groups["name"].Value;
            if (info.Kind != JsonTypeInfoKind.Object)
            {
                type = info.ElementType ?? type;
            }
            else if (info.Properties.FirstOrDefault(p => p.Name == name) is { } property)
            {
                type = property.PropertyType;
            }
            else
            {
                return $"unknown property \"{name}\" (expected one of {Quoted(info.Properties.Select(p => p.Name))})";
            }
        }

        // System.Text.Json reports a repeated property at the repeated property's own path.
        if (message.StartsWith("Duplicate", StringComparison.Ordinal))
        {
            return $"duplicate property \"{name}\"";
        }

        return Expected(type);
    }

    /// <summary>Names the kind of JSON value a model type is read from.</summary>
    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "expected a string";
        }

        if (type == typeof(int))
        {
            return "expected an integer";
        }

        if (type == typeof(bool))
        {
            return "expected true or false";
        }

        if (type.IsEnum)
        {
            return $"expected one of {Quoted(Enum.GetNames(type))}";
        }

        return Options.GetTypeInfo(type).Kind == JsonTypeInfoKind.Enumerable ? "expected an array" : "expected an object";
    }

    /// <summary>One step of a System.Text.Json path: <c>.name</c>, <c>['name']</c> or <c>[index]</c>.</summary>
    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<name>.*?)'\]|\[(?<name>\d+)\]")]
    private static partial Regex PathSegment();
}
