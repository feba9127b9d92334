namespace Gateway.Host.Tests.Infrastructure;

/// <summary>A fresh folder in the temp folder for what a test lets the gateway write, deleted with everything in it.</summary>
internal sealed class TempFolder : IDisposable
{
    private readonly DirectoryInfo _folder;

    /// <summary>A new folder whose name starts with <paramref name="prefix"/>.</summary>
    public TempFolder(string prefix) => _folder = Directory.CreateTempSubdirectory(prefix + "-");

    /// <summary>The folder's full path.</summary>
    public string Path => _folder.FullName;

    /// <summary>The path of <paramref name="name"/> in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <inheritdoc/>
    public void Dispose() => _folder.Delete(recursive: true);
}
