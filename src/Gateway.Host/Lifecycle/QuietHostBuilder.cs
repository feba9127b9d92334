using Gateway.Host.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Host.Lifecycle;

/// <summary>The ASP.NET Core builder the gateway and the demo's services start from: slim, logging to the gateway's log, signals left to the gateway, and no file watching.</summary>
internal static class QuietHostBuilder
{
    /// <summary>
    /// Turns off the host's reload of its configuration files on change: the host would otherwise watch its content root,
    /// the working directory with every directory under it, for an appsettings.json (started from /, that was 42,535
    /// inotify watches, seconds of CPU after start-up and a wake-up for every file written anywhere). The gateway's own
    /// configuration file has a watcher of its own (GATEWAY_CONFIG_WATCH).
    /// </summary>
    private static readonly string[] ReadConfigurationFilesOnce = ["--hostBuilder:reloadConfigOnChange=false"];

    /// <summary>A slim builder whose messages go to <paramref name="log"/> and whose lifetime ignores SIGTERM and Ctrl-C.</summary>
    public static WebApplicationBuilder Create(GatewayLog log)
    {
        var builder = WebApplication.CreateSlimBuilder(ReadConfigurationFilesOnce);
        GatewayLogProvider.Use(builder.Logging, log);
        builder.Services.AddSingleton<IHostLifetime, SignalFreeLifetime>();
        return builder;
    }
}
