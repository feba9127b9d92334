using System.Diagnostics;
using System.Globalization;
using Gateway.Core.Configuration;
using Gateway.Host.Logging;
using Microsoft.Extensions.Logging;

namespace Gateway.Host.Lifecycle;

/// <summary>
/// The stop SIGTERM and Ctrl-C ask for, each step on stderr: out of rotation at once (<c>/readyz</c> answers 503) while every
/// listener accepts and serves as usual for the drain delay, since load balancers keep sending for a few seconds after an
/// instance starts to stop; only then is Kestrel asked to stop, and the gateway drains within the drain timeout.
/// </summary>
internal static class GracefulStop
{
    /// <summary>Runs the stop of <paramref name="server"/>; <paramref name="hurried"/> (a second signal) cuts the delay short.</summary>
    public static async Task RunAsync(GatewayServer server, GatewaySettings settings, GatewayLog log, CancellationToken hurried)
    {
        server.LeaveRotation();
        if (settings.DrainDelay > TimeSpan.Zero)
        {
            log.Process(LogLevel.Information, "drain.delay", $"stopping: /readyz answers 503; serving as usual for {Seconds(settings.DrainDelay)} before draining (a second SIGTERM or Ctrl-C drains at once)");
            try
            {
                await Task.Delay(settings.DrainDelay, hurried).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                log.Process(LogLevel.Information, "drain.hurried", "a second signal: the drain delay is cut short");
            }
        }

        log.Process(LogLevel.Information, "drain.start", $"draining: no new connections; requests in flight have {Seconds(settings.DrainTimeout)} to finish, idle connections are closed");
        var drain = Stopwatch.StartNew();
        await server.StopAsync().ConfigureAwait(false);
        log.Process(LogLevel.Information, "drain.end", drain.Elapsed < settings.DrainTimeout
            ? $"drained in {Seconds(drain.Elapsed)}; exiting"
            : $"the drain timeout of {Seconds(settings.DrainTimeout)} passed: connections still open were cut; exiting");
    }

    private static string Seconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.###}s");
}
