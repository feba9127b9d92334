using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>The Kestrel apps tests stand up as upstreams or identity providers: on 127.0.0.1 at a free port, logging nothing, no Server header.</summary>
internal static class LoopbackApp
{
    /// <summary>An app to map and start; <paramref name="configure"/> tunes Kestrel further, <paramref name="services"/> adds services.</summary>
    public static WebApplication Create(Action<KestrelServerOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        services?.Invoke(builder.Services);
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            configure?.Invoke(kestrel);
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        return builder.Build();
    }

    /// <summary>The started <paramref name="app"/>'s base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public static string UrlOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()
            .Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
}
