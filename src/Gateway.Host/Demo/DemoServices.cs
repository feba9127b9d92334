using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using Gateway.Host.Lifecycle;
using Gateway.Host.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Host.Demo;

/// <summary>
/// The sample upstream services the demo starts in-process on loopback: users, orders (with a WebSocket echo), two products replicas, and two
/// inventory replicas of which one fails every other request (the third inventory destination of gateway.json, port
/// 5107, is left down on purpose).
/// </summary>
internal sealed class DemoServices : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private readonly GatewayLog _log;

    private DemoServices(GatewayLog log) => _log = log;

    /// <summary>Starts every sample service on its fixed loopback port (the ports gateway.json names), their warnings to <paramref name="log"/>.</summary>
    public static async Task<DemoServices> StartAsync(GatewayLog log)
    {
        var services = new DemoServices(log);
        try
        {
            await services.StartAsync(5101, MapUsers).ConfigureAwait(false);
            await services.StartAsync(5102, MapOrders).ConfigureAwait(false);
            await services.StartAsync(5103, app => MapProducts(app, "products-a")).ConfigureAwait(false);
            await services.StartAsync(5104, app => MapProducts(app, "products-b")).ConfigureAwait(false);
            await services.StartAsync(5105, app => MapInventory(app, "inventory-a", flaky: false)).ConfigureAwait(false);
            await services.StartAsync(5106, app => MapInventory(app, "inventory-b", flaky: true)).ConfigureAwait(false);
            await services.StartAsync(5108, DemoIdentityProvider.Map).ConfigureAwait(false);
        }
        catch
        {
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return services;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task StartAsync(int port, Action<WebApplication> map)
    {
        var builder = QuietHostBuilder.Create(_log);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, DemoJsonContext.Default));
        var app = builder.Build();
        map(app);
        _apps.Add(app);
        await app.StartAsync().ConfigureAwait(false);
    }

    private static void MapUsers(WebApplication app)
    {
        var users = new ConcurrentDictionary<int, DemoUser>();
        users[1] = new DemoUser(1, "Ada Lovelace", "ada@example.com");
        users[2] = new DemoUser(2, "Alan Turing", "alan@example.com");
        var nextId = 2;
        app.MapGet("/users", () => users.Values.OrderBy(u => u.Id));
        app.MapGet("/users/{id:int}", (int id) => users.TryGetValue(id, out var user) ? Results.Ok(user) : Results.NotFound());
        app.MapPost("/users", (DemoUser user) =>
        {
            var created = user with { Id = Interlocked.Increment(ref nextId) };
            users[created.Id] = created;
            return Results.Created($"/users/{created.Id}", created);
        });
        app.MapPut("/users/{id:int}", (int id, DemoUser user) => Results.Ok(users[id] = user with { Id = id }));
        app.MapDelete("/users/{id:int}", (int id) => users.TryRemove(id, out _) ? Results.NoContent() : Results.NotFound());
    }

    /// <summary>The orders service, with a WebSocket echo at <c>/ws/echo</c> that sends every message back.</summary>
    private static void MapOrders(WebApplication app)
    {
        app.MapGet("/v1/orders/{id:int}", (int id) => new DemoOrder(id, UserId: (id % 2) + 1, Total: 19.99m * id, Status: "shipped"));
        app.UseWebSockets();
        app.Map("/ws/echo", EchoAsync);
    }

    private static async Task EchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static void MapProducts(WebApplication app, string replica)
    {
        DemoProduct[] products = [new(1, "Keyboard", 49.00m, replica), new(2, "Mouse", 19.00m, replica), new(3, "Monitor", 199.00m, replica)];
        app.MapGet("/products", () => products);
        app.MapGet("/products/{id:int}", (int id) => products.FirstOrDefault(p => p.Id == id) is { } p ? Results.Ok(p) : Results.NotFound());
    }

    /// <summary>An inventory replica; a <paramref name="flaky"/> one answers every other request (its health check aside) with 503.</summary>
    private static void MapInventory(WebApplication app, string replica, bool flaky)
    {
        var requests = 0;
        app.Use((context, next) =>
        {
            if (flaky && context.Request.Path != "/healthz" && Interlocked.Increment(ref requests) % 2 == 1)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.MapGet("/healthz", () => "ok");
        app.MapGet("/inventory/{id:int}", (int id) => new DemoStock(id, InStock: id * 3 % 10, ServedBy: replica));
        app.MapPost("/inventory/{id:int}/reservations", (int id) => Results.Created($"/inventory/{id}/reservations/1", new DemoReservation(1, id, ServedBy: replica)));
    }
}

/// <summary>A user of the demo users service.</summary>
internal sealed record DemoUser(int Id, string Name, string Email);

/// <summary>An order of the demo orders service.</summary>
internal sealed record DemoOrder(int Id, int UserId, decimal Total, string Status);

/// <summary>A product of the demo products service, naming the replica that served it.</summary>
internal sealed record DemoProduct(int Id, string Name, decimal Price, string ServedBy);

/// <summary>The stock of an item in the demo inventory service, naming the replica that served it.</summary>
internal sealed record DemoStock(int Id, int InStock, string ServedBy);

/// <summary>A reservation made in the demo inventory service, naming the replica that made it.</summary>
internal sealed record DemoReservation(int Id, int ItemId, string ServedBy);
