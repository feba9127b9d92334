using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Core.Configuration;

namespace Gateway.Core.Tests.Configuration;

/// <summary>
/// Keeps the source-generated JSON contract of the configuration (ConfigJsonContext) honest for every type reachable from
/// <see cref="GatewayConfig"/>, including types added later: objects keep their property defaults, enums are read by name only.
/// </summary>
public sealed class ConfigContractTests
{
    public static TheoryData<string> ObjectTypes() => [.. Reachable().Where(t => Info(t).Kind == JsonTypeInfoKind.Object).Select(t => t.FullName!)];

    public static TheoryData<string> EnumTypes() => [.. Reachable().Where(t => t.IsEnum).Select(t => t.FullName!)];

    /// <summary>
    /// The generator builds a type with init-only properties through an object initializer that sets every one of them, so a
    /// property left out of the file gets null or 0 instead of its initializer (dotnet/runtime#84484): model properties use set.
    /// </summary>
    [Theory]
    [MemberData(nameof(ObjectTypes))]
    public void ObjectIsCreatedEmptyAndFilledThroughSetters(string typeName)
    {
        var info = Info(Type(typeName));

        Assert.True(info.CreateObject is not null, $"{typeName}: give it a parameterless constructor and {{ get; set; }} properties, not init");
        Assert.All(info.Properties, p => Assert.True(p.Set is not null, $"{typeName}.{p.Name} has no setter the contract can use"));
    }

    [Theory]
    [MemberData(nameof(ObjectTypes))]
    public void LeftOutPropertiesKeepTheModelsDefaults(string typeName)
    {
        var info = Info(Type(typeName));
        var read = JsonSerializer.Deserialize("{}", info);

        Assert.Equal(JsonSerializer.Serialize(info.CreateObject!(), info), JsonSerializer.Serialize(read, info));
    }

    [Theory]
    [MemberData(nameof(EnumTypes))]
    public void EnumIsReadFromItsNamesOnly(string typeName)
    {
        var type = Type(typeName);
        var info = Info(type);

        Assert.All(Enum.GetNames(type), name => Assert.Equal(name, JsonSerializer.Deserialize($"\"{name}\"", info)!.ToString()));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("0", info));
    }

    private static JsonTypeInfo Info(Type type) => ConfigJson.Options.GetTypeInfo(type);

    private static Type Type(string fullName) => Reachable().Single(t => t.FullName == fullName);

    /// <summary>The types of the contract, found by walking it from <see cref="GatewayConfig"/>.</summary>
    private static List<Type> Reachable()
    {
        var found = new List<Type>();
        var pending = new Stack<Type>([typeof(GatewayConfig)]);
        while (pending.TryPop(out var type))
        {
            if (found.Contains(type))
            {
                continue;
            }

            found.Add(type);
            var info = Info(type);
            foreach (var next in info.Kind == JsonTypeInfoKind.Object ? info.Properties.Select(p => p.PropertyType) : [info.ElementType ?? type])
            {
                pending.Push(next);
            }
        }

        return found;
    }
}
