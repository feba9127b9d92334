using System.Security.Cryptography;

namespace Gateway.Core.Configuration;

/// <summary>
/// Follows a configuration file and calls back when its content changed. It watches the file's folder for the file's
/// own name and for the <c>..</c> entries a Kubernetes ConfigMap swaps (so a replacement by rename or a symlink swap is
/// seen, and other files in the folder, such as an access log, are not); it waits for writes to settle before reading
/// (at most <see cref="MaxWait"/> however busy the file is); and it calls back only when the bytes differ from those it saw
/// last. An empty file counts as one being written (a writer truncates before it writes), not as a change: no
/// configuration is empty, and a writer held up between the two would otherwise cause a reload of nothing.
/// </summary>
public sealed class ConfigFileWatcher : IDisposable
{
    /// <summary>The longest a change waits for the file to stay still before it is read anyway.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    private readonly string _path;
    private readonly string _name;
    private readonly TimeSpan _settle;
    private readonly Func<Task> _changed;
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private byte[] _lastHash;
    private long _firstEvent = -1;
    private bool _running;
    private bool _disposed;

    /// <summary>
    /// Starts following <paramref name="path"/>; <paramref name="changed"/> runs (never twice at once) once its content changed
    /// and stayed still for <paramref name="settle"/>. Throws <see cref="IOException"/> when the system will not watch (inotify limits).
    /// </summary>
    public ConfigFileWatcher(string path, TimeSpan settle, Func<Task> changed)
    {
        _path = Path.GetFullPath(path);
        _name = Path.GetFileName(_path);
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
        _watcher.Error += (_, _) => Schedule();
        try
        {
            _watcher.EnableRaisingEvents = true;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _watcher.Dispose();
        _timer.Dispose();
    }

    private void OnEvent(object sender, FileSystemEventArgs e)
    {
        if (e.Name == _name || e.Name?.StartsWith("..", StringComparison.Ordinal) == true
            || (e is RenamedEventArgs renamed && renamed.OldName == _name))
        {
            Schedule();
        }
    }

    /// <summary>(Re)starts the wait for writes to settle, unless the first change of this burst has waited <see cref="MaxWait"/> already.</summary>
    private void Schedule()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var now = Environment.TickCount64;
            _firstEvent = _firstEvent < 0 ? now : _firstEvent;
            var left = MaxWait - TimeSpan.FromMilliseconds(now - _firstEvent);
            _timer.Change(left < _settle ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : _settle, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task CheckAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_running)
            {
                // A reload of the previous change is still running: look again once it has had time to finish.
                _timer.Change(_settle, Timeout.InfiniteTimeSpan);
                return;
            }

            _running = true;
            _firstEvent = -1;
        }

        try
        {
            var hash = Hash();
            if (hash is not null && !hash.AsSpan().SequenceEqual(_lastHash))
            {
                _lastHash = hash;
                await _changed().ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_gate)
            {
                _running = false;
            }
        }
    }

    /// <summary>The SHA-256 of the file's bytes, or null while it cannot be read (being replaced, say) or is empty (being written).</summary>
    private byte[]? Hash()
    {
        try
        {
            var content = File.ReadAllBytes(_path);
            return content.Length == 0 ? null : SHA256.HashData(content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
