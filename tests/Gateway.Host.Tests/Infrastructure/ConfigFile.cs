using Gateway.Core.Configuration;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>A configuration file in a folder of its own, rewritten by tests the way operators and tools rewrite it.</summary>
internal sealed class ConfigFile : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-reload-").FullName;

    /// <summary>Creates the file with <paramref name="json"/>.</summary>
    public ConfigFile(string json)
    {
        Path = System.IO.Path.Combine(_folder, "gateway.json");
        File.WriteAllText(Path, json);
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The source a gateway reads the file from (no environment overrides).</summary>
    public ConfigSource Source => ConfigSource.From(Path, upstream: null, _ => null, []);

    /// <summary>Replaces the content the way editors and deploy tools do: a new file renamed over the old one.</summary>
    public void Replace(string json)
    {
        var next = Path + ".next";
        File.WriteAllText(next, json);
        File.Move(next, Path, overwrite: true);
    }

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
