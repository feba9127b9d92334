using System.Security.Cryptography;

namespace Gateway.Core.Configuration;

/// <summary>
/// Follows a configuration file and calls back when its content changed. It watches the file's folder, not the file, so
/// a replacement by rename or a Kubernetes ConfigMap's symlink swap is seen; it waits for writes to settle before reading;
/// and it calls back only when the bytes differ from those it saw last.
/// </summary>
public sealed class ConfigFileWatcher : IDisposable
{
    private readonly string _path;
    private readonly TimeSpan _settle;
    private readonly Func<Task> _changed;
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _timer;
    private byte[] _lastHash;
    private int _running;

    /// <summary>Starts following <paramref name="path"/>; <paramref name="changed"/> runs (never twice at once) once its content changed and stayed still for <paramref name="settle"/>.</summary>
    public ConfigFileWatcher(string path, TimeSpan settle, Func<Task> changed)
    {
        _path = Path.GetFullPath(path);
        _settle = settle;
        _changed = changed;
        _lastHash = Hash() ?? [];
        _timer = new Timer(static state => _ = ((ConfigFileWatcher)state!).CheckAsync(), this, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += OnEvent;
        _watcher.Created += OnEvent;
        _watcher.Deleted += OnEvent;
        _watcher.Renamed += OnEvent;
        _watcher.EnableRaisingEvents = true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _watcher.Dispose();
        _timer.Dispose();
    }

    /// <summary>Any change in the folder (the file itself, or a symlink it goes through) restarts the wait for writes to settle.</summary>
    private void OnEvent(object sender, FileSystemEventArgs e) => _timer.Change(_settle, Timeout.InfiniteTimeSpan);

    private async Task CheckAsync()
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            _timer.Change(_settle, Timeout.InfiniteTimeSpan);
            return;
        }

        try
        {
            var hash = Hash();
            if (hash is null || hash.AsSpan().SequenceEqual(_lastHash))
            {
                return;
            }

            _lastHash = hash;
            await _changed().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>The SHA-256 of the file's bytes, or null while it cannot be read (being replaced, say).</summary>
    private byte[]? Hash()
    {
        try
        {
            return SHA256.HashData(File.ReadAllBytes(_path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
