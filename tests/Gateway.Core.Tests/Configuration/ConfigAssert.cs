using Gateway.Core.Configuration;

namespace Gateway.Core.Tests.Configuration;

/// <summary>Assertions on the errors the configuration loader reports.</summary>
internal static class ConfigAssert
{
    /// <summary>Asserts that <paramref name="act"/> fails at <paramref name="location"/> with a reason containing <paramref name="reasonPart"/>.</summary>
    public static ConfigException Fails(Action act, string location, string reasonPart)
    {
        var error = Assert.Throws<ConfigException>(act);
        Assert.Equal(location, error.Location);
        Assert.Contains(reasonPart, error.Reason, StringComparison.Ordinal);
        return error;
    }

    /// <summary>Asserts that parsing <paramref name="json"/> fails at <paramref name="location"/> with a reason containing <paramref name="reasonPart"/>.</summary>
    public static ConfigException ParseFails(string json, string location, string reasonPart) =>
        Fails(() => ConfigLoader.Parse(json, "test.json"), location, reasonPart);
}
