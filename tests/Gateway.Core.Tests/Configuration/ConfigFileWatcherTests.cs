using Gateway.Core.Configuration;

namespace Gateway.Core.Tests.Configuration;

/// <summary>The configuration file watcher: a change of the file's content is seen once it settles; other files in the folder and unchanged content are not.</summary>
public sealed class ConfigFileWatcherTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-watch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AChangedFileIsSeenWhileAnotherFileInTheFolderKeepsChanging()
    {
        var path = Path.Combine(_folder, "gateway.json");
        await File.WriteAllTextAsync(path, "{ \"version\": 1 }");
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new ConfigFileWatcher(path, Settle, () =>
        {
            changed.TrySetResult();
            return Task.CompletedTask;
        });

        await File.WriteAllTextAsync(path, "{ \"version\": 2 }");
        var busyLog = Path.Combine(_folder, "access.log");
        var deadline = DateTime.UtcNow + Patience;
        while (!changed.Task.IsCompleted && DateTime.UtcNow < deadline)
        {
            // An access log beside the configuration, written every few milliseconds, must not hold the reload back.
            await File.AppendAllTextAsync(busyLog, "a line\n");
            await Task.Delay(20);
        }

        Assert.True(changed.Task.IsCompleted, "the change was not seen while the other file kept changing");
    }

    [Fact]
    public async Task RewritingTheSameContentIsNoChange()
    {
        var path = Path.Combine(_folder, "gateway.json");
        await File.WriteAllTextAsync(path, "{ \"version\": 1 }");
        var calls = 0;
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new ConfigFileWatcher(path, Settle, () =>
        {
            Interlocked.Increment(ref calls);
            changed.TrySetResult();
            return Task.CompletedTask;
        });

        await File.WriteAllTextAsync(path, "{ \"version\": 1 }");
        await Task.Delay(Settle * 3);
        await File.WriteAllTextAsync(path, "{ \"version\": 3 }");
        await changed.Task.WaitAsync(Patience);

        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task AFileLeftEmptyWhileBeingWrittenIsNoChange()
    {
        var path = Path.Combine(_folder, "gateway.json");
        await File.WriteAllTextAsync(path, "{ \"version\": 1 }");
        var seen = new List<string>();
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new ConfigFileWatcher(path, Settle, async () =>
        {
            var content = await File.ReadAllTextAsync(path);
            lock (seen)
            {
                seen.Add(content);
            }

            if (content.Length > 0)
            {
                changed.TrySetResult();
            }
        });

        // A writer that truncated the file and was held up past the settle time before it wrote.
        await File.WriteAllBytesAsync(path, []);
        await Task.Delay(Settle * 3);
        await File.WriteAllTextAsync(path, "{ \"version\": 2 }");
        await changed.Task.WaitAsync(Patience);

        lock (seen)
        {
            Assert.Equal(["{ \"version\": 2 }"], seen);
        }
    }
}
