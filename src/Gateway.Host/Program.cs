using System.Reflection;
using System.Runtime.InteropServices;
using Gateway.Core.Configuration;
using Gateway.Core.Observability;
using Gateway.Host;
using Gateway.Host.Commands;
using Gateway.Host.Demo;
using Gateway.Host.Lifecycle;
using Gateway.Host.Logging;
using Microsoft.Extensions.Logging;

// The edge binary: `gateway [validate | routes | docs --out DIR] [--config PATH]`. With no configuration at all it starts the demo.
// stdout carries the access log (and the demo's banner, for a person at a terminal); every message of the gateway's own goes
// to stderr, one line each, as text or JSON (GATEWAY_LOG_FORMAT).
var options = CommandLine.Parse(args);
if (options is { Error: null, Command: Command.Help })
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

if (options is { Error: null, Command: Command.Version })
{
    Console.WriteLine($"gateway {typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion}");
    return 0;
}

GatewayLog log;
try
{
    log = new GatewayLog(GatewaySettings.LogFormatFrom(Environment.GetEnvironmentVariable), Console.Error);
}
catch (ConfigException ex)
{
    return Refuse(new GatewayLog(GatewayLogFormat.Text, Console.Error), ex);
}

if (options.Error is { } argumentError)
{
    log.Process(LogLevel.Error, "usage.invalid", argumentError);
    if (log.Format == GatewayLogFormat.Text)
    {
        Console.Error.WriteLine(CommandLine.Usage);
    }

    return 2;
}

DemoServices? demo = null;
try
{
    var settings = GatewaySettings.FromEnvironment(Environment.GetEnvironmentVariable);
    settings = options.ConfigPath is null ? settings : settings with { ConfigPath = options.ConfigPath };
    var isDemo = settings.ConfigPath is null && settings.Upstream is null;
    if (isDemo && options.Command != Command.Serve)
    {
        log.Process(LogLevel.Error, "config.missing", "no configuration: pass --config PATH (or set GATEWAY_CONFIG or GATEWAY_UPSTREAM)");
        return 2;
    }

    var source = ConfigSource.From(
        isDemo ? Path.Combine(AppContext.BaseDirectory, "gateway.json") : settings.ConfigPath,
        settings.Upstream,
        Environment.GetEnvironmentVariable,
        Environment.GetEnvironmentVariables().Keys.Cast<string>());
    switch (options.Command)
    {
        case Command.Validate:
            ConfigCommands.Validate(settings, source, Console.Out);
            return 0;
        case Command.Routes:
            ConfigCommands.Routes(source, Console.Out);
            return 0;
        case Command.Docs:
            await DocsCommand.WriteAsync(source.Load(), options.OutPath!, Console.Out, log);
            return 0;
    }

    if (settings.Transport.InlineCompletions)
    {
        // Read by the socket engine when it first starts, which is after this line.
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
    }

    // SIGTERM and Ctrl-C are the gateway's from here on: one that comes while it is still starting stops it once it has started.
    using var shutdown = new ShutdownSignals();
    if (isDemo)
    {
        demo = await DemoServices.StartAsync(log);
    }

    // SIGHUP reloads the configuration (its default would end the process), off the signal thread; one that comes while the
    // gateway is still starting reloads once it has started.
    using var reloads = new SignalReloads();
    using var reloadSignal = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
    {
        signal.Cancel = true;
        reloads.Request();
    });
    await using var server = await GatewayServer.StartAsync(settings, source, log);
    reloads.Serve(server);
    var listeners = server.PublicUrls.Zip(server.PublicFrontends, (url, frontend) => (Url: url, Frontend: frontend)).ToList();
    var admin = server.AdminEndPoint is { } a ? $"http://{a}" : null;
    if (isDemo)
    {
        Console.WriteLine(DemoBanner.Text(Local(listeners[0].Url), listeners.Where(l => l.Frontend == DemoBanner.Mobile).Select(l => Local(l.Url)).FirstOrDefault(), admin));
    }
    else
    {
        log.Process(LogLevel.Information, "serving", $"serving {source.Name} on {string.Join(", ", listeners.Select(l => l.Frontend is null ? l.Url : $"{l.Url} ({l.Frontend})"))}; admin {admin ?? "off"}");
    }

    await shutdown.Requested;
    await GracefulStop.RunAsync(server, settings, log, shutdown.Hurried);
    return 0;
}
catch (ConfigException ex)
{
    return Refuse(log, ex);
}
catch (IOException ex)
{
    log.Process(LogLevel.Critical, "start.failed", $"could not start: {ex.Message}");
    return 1;
}
finally
{
    if (demo is not null)
    {
        await demo.DisposeAsync();
    }
}

// Says each error of a configuration (file or environment) that cannot start, and gives the exit code for it.
static int Refuse(GatewayLog log, ConfigException refusal)
{
    foreach (var error in refusal.All)
    {
        log.Process(LogLevel.Error, "config.invalid", $"invalid configuration: {error.Message}");
    }

    return 2;
}

// A listener URL as a client on this machine reaches it.
static string Local(string url) => url.Replace("0.0.0.0", "localhost", StringComparison.Ordinal);
