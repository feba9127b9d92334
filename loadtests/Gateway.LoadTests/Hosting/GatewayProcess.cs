using System.Diagnostics;
using System.Globalization;

namespace Gateway.LoadTests.Hosting;

/// <summary>
/// The real <c>gateway</c> binary (built beside the runner) as a child process on loopback ports, with a clean
/// GATEWAY_* environment, the access log on (to a file) and metrics on: the defaults a deployment runs with.
/// </summary>
internal sealed class GatewayProcess : IDisposable
{
    private const int OutputLinesKept = 20;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private GatewayProcess(Process process, Uri address, Uri admin)
    {
        _process = process;
        Address = address;
        Admin = admin;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The public listener.</summary>
    public Uri Address { get; }

    /// <summary>The admin listener.</summary>
    public Uri Admin { get; }

    /// <summary>CPU time the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The most memory the process has had resident (Linux VmHWM), in bytes.</summary>
    public long PeakResidentBytes
    {
        get
        {
            _process.Refresh();
            return _process.PeakWorkingSet64;
        }
    }

    /// <summary>The memory the process has resident now (Linux VmRSS), in bytes.</summary>
    public long ResidentBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>Starts the gateway with <paramref name="configPath"/> and waits until its admin <c>/healthz</c> answers 200.</summary>
    public static async Task<GatewayProcess> StartAsync(string configPath, string accessLogPath, CancellationToken cancellationToken)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var admin = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "gateway.dll"), "--config", configPath },
        };
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("GATEWAY_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["GATEWAY_LISTEN"] = address.GetLeftPart(UriPartial.Authority);
        info.Environment["GATEWAY_ADMIN_LISTEN"] = admin.GetLeftPart(UriPartial.Authority);
        info.Environment["GATEWAY_ACCESS_LOG"] = accessLogPath;
        var gateway = new GatewayProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"), address, admin);
        try
        {
            await gateway.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
            return gateway;
        }
        catch
        {
            gateway.Dispose();
            throw;
        }
    }

    /// <summary>Stops the process and everything it started.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"the gateway exited with code {_process.ExitCode} during start-up:{Environment.NewLine}{Output()}"));
            }

            try
            {
                using var response = await client.GetAsync(new Uri(Admin, "/healthz"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"the gateway did not answer {Admin}healthz within {ReadyTimeout.TotalSeconds}s:{Environment.NewLine}{Output()}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }
}
