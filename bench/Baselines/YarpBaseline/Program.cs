using Yarp.ReverseProxy.Configuration;

// The YARP baseline for bench/compare: one catch-all route to one upstream, everything else at YARP's
// and ASP.NET Core's defaults. YARP_LISTEN is the listen URL, YARP_UPSTREAM the destination.
var listen = Environment.GetEnvironmentVariable("YARP_LISTEN") ?? "http://127.0.0.1:5000";
var upstream = Environment.GetEnvironmentVariable("YARP_UPSTREAM");
if (string.IsNullOrWhiteSpace(upstream))
{
    Console.Error.WriteLine("yarp-baseline: set YARP_UPSTREAM to the upstream URL, e.g. http://127.0.0.1:8081");
    return 2;
}

RouteConfig[] routes =
[
    new() { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "{**catch-all}" } },
];
ClusterConfig[] clusters =
[
    new()
    {
        ClusterId = "upstream",
        Destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal)
        {
            ["upstream"] = new() { Address = upstream },
        },
    },
];

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls(listen);
builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);

var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync().ConfigureAwait(false);
return 0;
