using System.Collections;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>The built <c>gateway</c> binary run as a real process (<c>dotnet gateway.dll</c>) with a clean GATEWAY_* environment and captured output.</summary>
internal sealed class GatewayProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private GatewayProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What the process wrote to stdout so far.</summary>
    public string StandardOutput => Read(_stdout);

    /// <summary>What the process wrote to stderr so far.</summary>
    public string StandardError => Read(_stderr);

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>How many files and directories the process watches with inotify (Linux), from its file descriptors' /proc entries.</summary>
    public int InotifyWatches =>
        new DirectoryInfo($"/proc/{_process.Id}/fd").GetFileSystemInfos()
            .Where(fd => fd.LinkTarget == "anon_inode:inotify")
            .Sum(fd => File.ReadLines($"/proc/{_process.Id}/fdinfo/{fd.Name}").Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal)));

    /// <summary>
    /// Starts the gateway with <paramref name="arguments"/> and <paramref name="environment"/> (every inherited GATEWAY_* variable
    /// removed first); unless <paramref name="environment"/> sets GATEWAY_DRAIN_DELAY, it is 0, so that SIGTERM drains at once.
    /// </summary>
    public static GatewayProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(GatewayDll());
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("GATEWAY_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["GATEWAY_DRAIN_DELAY"] = "0";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return new GatewayProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>
    /// Waits for the start line on stderr and returns the first public listener's URL and the admin listener's. Started
    /// with port 0 in GATEWAY_LISTEN and GATEWAY_ADMIN_LISTEN, the process binds free ports itself, so no test running
    /// beside it can take a port between choosing and binding it.
    /// </summary>
    public async Task<(string Listen, string Admin)> ServingAsync()
    {
        var line = await Wait.UntilAsync(
            () => Task.FromResult(HasExited
                ? throw new InvalidOperationException($"The gateway exited early: {StandardError}")
                : StandardError.Split('\n').Select(Text).FirstOrDefault(l => l.StartsWith("gateway: serving ", StringComparison.Ordinal))),
            "the gateway to start serving");
        var listen = Regex.Match(line, @" on (http[^ ,;]+)").Groups[1].Value;
        var admin = Regex.Match(line, @"; admin (http\S+)").Groups[1].Value;
        return (listen, admin);
    }

    /// <summary>A line of stderr as text: a JSON line (GATEWAY_LOG_FORMAT=json) of the process itself as the text line it stands for.</summary>
    public static string Text(string line) =>
        line.StartsWith('{') && JsonDocument.Parse(line).RootElement is var json && json.GetProperty("category").GetString() == "gateway"
            ? $"gateway: {json.GetProperty("message").GetString()}"
            : line;

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var deadline = Wait.Deadline();
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The gateway did not exit. stdout: {StandardOutput} stderr: {StandardError}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as a service manager or container runtime does to stop it.</summary>
    public Task TerminateAsync() => SignalAsync("TERM");

    /// <summary>Sends the signal <paramref name="name"/> (e.g. <c>HUP</c>) with kill(1).</summary>
    public async Task SignalAsync(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("kill did not start");
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string GatewayDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "gateway.dll");
        if (File.Exists(beside))
        {
            return beside;
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Parent?.Name ?? "Release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var built = Path.Combine(dir.FullName, "src", "Gateway.Host", "bin", configuration, "net10.0", "gateway.dll");
            if (File.Exists(built))
            {
                return built;
            }
        }

        throw new FileNotFoundException($"gateway.dll is neither beside {AppContext.BaseDirectory} nor under src/Gateway.Host/bin/{configuration}.");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
