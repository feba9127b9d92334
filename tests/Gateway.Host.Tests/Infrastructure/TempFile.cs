namespace Gateway.Host.Tests.Infrastructure;

/// <summary>A path in the temp folder for a file a test lets the gateway write (an access log), deleted with it.</summary>
internal sealed class TempFile : IDisposable
{
    /// <summary>A fresh path whose name starts with <paramref name="prefix"/>.</summary>
    public TempFile(string prefix) => Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.log");

    /// <summary>The file's path (the file may not exist yet).</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public void Dispose() => File.Delete(Path);
}
