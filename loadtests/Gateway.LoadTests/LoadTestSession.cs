using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Gateway.LoadTests.Cli;
using Gateway.LoadTests.Hosting;
using Gateway.LoadTests.Live;
using Gateway.LoadTests.Load;
using Gateway.LoadTests.Recording;
using Gateway.LoadTests.Reports;
using Gateway.LoadTests.Scenarios;

namespace Gateway.LoadTests;

/// <summary>
/// One run from start to finish: start the system (or use <c>--target</c>), check the scenario's route answers, run
/// the stages with live progress, write the reports, and stop everything it started, on Ctrl-C and failure too.
/// </summary>
internal static class LoadTestSession
{
    private static readonly TimeSpan LongestGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MemorySampleInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="scenario"/> as <paramref name="options"/> say; returns the process exit code.</summary>
    public static async Task<int> RunAsync(RunOptions options, Scenario scenario)
    {
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        SelfHostedSystem? system = null;
        try
        {
            if (options.Target is null)
            {
                Console.Error.WriteLine("load: starting the upstream and the gateway on free loopback ports");
                system = await SelfHostedSystem.StartAsync(scenario, stop.Token).ConfigureAwait(false);
            }

            var target = options.Target ?? system!.Gateway.Address;
            using var client = new HttpMessageInvoker(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = options.Connections,
                UseProxy = false,
                UseCookies = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                ActivityHeadersPropagator = null,
            });
            if (await PreflightAsync(client, scenario, target, stop.Token).ConfigureAwait(false) is { } problem)
            {
                Console.Error.WriteLine($"load: {problem}");
                return 1;
            }

            var report = await MeasureAsync(options, scenario, target, client, system, stop.Token).ConfigureAwait(false);
            var folder = await ReportFiles.WriteAsync(report, options.Output ?? DefaultOutput()).ConfigureAwait(false);
            Console.Error.WriteLine(Summary(report));
            Console.WriteLine(Path.Combine(folder, "report.html"));
            return stop.IsCancellationRequested ? 130 : 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or OperationCanceledException)
        {
            Console.Error.WriteLine($"load: {ex.Message}");
            return 1;
        }
        finally
        {
            if (system is not null)
            {
                await system.DisposeAsync().ConfigureAwait(false);
            }
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            Console.Error.WriteLine("load: stopping (the report covers the run so far)");
            stop.Cancel();
        }
    }

    private static async Task<LoadReport> MeasureAsync(
        RunOptions options, Scenario scenario, Uri target, HttpMessageInvoker client, SelfHostedSystem? system, CancellationToken stop)
    {
        var stages = scenario.Stages(new LoadProfile(options.Duration, options.Rate, options.Users));
        var grace = options.Timeout < LongestGrace ? options.Timeout : LongestGrace;
        var recorder = new RunRecorder(scenario.ExpectedStatuses, stages.Count, LoadRunner.PlannedDuration(stages) + grace + TimeSpan.FromSeconds(1));
        var limit = new InFlightLimit(options.MaxInFlight);
        Console.Error.WriteLine($"load: {scenario.Name} against {target}: {string.Join(", then ", stages.Select(s => s.Describe()))}");

        var startedAt = DateTimeOffset.UtcNow;
        var cpuBefore = system?.Gateway.CpuTime;
        var clock = new RunClock();
        var sender = new RequestSender(client, n => scenario.CreateRequest(target, n), recorder, clock, options.Timeout);
        using var progressStop = new CancellationTokenSource();
        var progress = new ProgressPrinter(recorder, clock, limit, stages, Console.Error).RunAsync(progressStop.Token);
        var memory = system is null ? Task.FromResult<IReadOnlyList<MemorySample>>([]) : new MemorySampler(system.Gateway, clock, MemorySampleInterval).RunAsync(progressStop.Token);
        await new LoadRunner(sender, recorder, clock, limit).RunAsync(stages, grace, stop).ConfigureAwait(false);
        var duration = clock.Elapsed;
        await progressStop.CancelAsync().ConfigureAwait(false);
        await progress.ConfigureAwait(false);

        var usage = system is null || cpuBefore is null ? null : new ProcessUsage(
            (system.Gateway.CpuTime - cpuBefore.Value).TotalSeconds,
            (system.Gateway.CpuTime - cpuBefore.Value).TotalMicroseconds / Math.Max(1, recorder.Total.Responses),
            system.Gateway.PeakResidentBytes / (1024.0 * 1024.0));
        var context = new RunContext(
            target.ToString(),
            system is null ? "a running gateway (--target)" : "gateway process (defaults: metrics on, access log to a file) in front of an in-process Kestrel upstream",
            startedAt,
            duration,
            MachineInfo.Current("the load generator, the upstream and the gateway share these cores"),
            usage,
            await memory.ConfigureAwait(false));
        return ReportBuilder.Build(scenario, stages, recorder, context);
    }

    private static async Task<string?> PreflightAsync(HttpMessageInvoker client, Scenario scenario, Uri target, CancellationToken stop)
    {
        using var request = scenario.CreateRequest(target, 0);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            using var response = await client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return scenario.ExpectedStatuses.Contains(status)
                ? null
                : $"{request.Method} {request.RequestUri} answered {status}, not one of {string.Join(", ", scenario.ExpectedStatuses)}: does the target serve this scenario's routes (see --list)?";
        }
        catch (HttpRequestException ex)
        {
            return $"{request.Method} {request.RequestUri} failed: {ex.Message}";
        }
    }

    private static string Summary(LoadReport report)
    {
        var t = report.Totals;
        var l = report.Latency;
        return string.Create(CultureInfo.InvariantCulture,
            $"load: {report.Scenario}: {t.Scheduled:#,0} requests in {report.DurationSeconds:0.#} s, {t.ResponsesPerSecond:#,0} resp/s, errors {t.Errors:#,0} | latency p50 {Format.Ms(l.P50Ms)} ms, p90 {Format.Ms(l.P90Ms)}, p99 {Format.Ms(l.P99Ms)}, p99.9 {Format.Ms(l.P999Ms)}, max {Format.Ms(l.MaxMs)} ms | outcomes {string.Join(", ", t.Outcomes.Select(o => $"{o.Key}: {o.Value:#,0}"))}");
    }

    private static string DefaultOutput()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
            {
                return Path.Combine(dir.FullName, "loadtests", "results");
            }
        }

        return Path.Combine(Environment.CurrentDirectory, "loadtest-results");
    }
}
