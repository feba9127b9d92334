using System.Collections.Concurrent;
using System.Net;
using Gateway.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Host.Tests.Observability;

/// <summary>With GATEWAY_OTLP_ENDPOINT set, the gateway's spans reach an OTLP/HTTP receiver, in the client's trace.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task SpanOfAForwardedRequestIsExportedInTheClientsTrace()
    {
        var received = new ConcurrentQueue<byte[]>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var collector = builder.Build();
        collector.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue(body.ToArray());
            return Results.Ok();
        });
        await collector.StartAsync();
        var collectorUrl = new Uri(collector.Urls.First() + "/");

        await using var upstream = await RecordingUpstream.StartAsync();
        await using (var gateway = await TestGateway.StartAsync(
            Configs.CatchAll(upstream.Url),
            s => s with { Observability = s.Observability with { OtlpEndpoint = collectorUrl } }))
        {
            var response = await gateway.SendAsync(
                "GET /x HTTP/1.1\r\nHost: a\r\ntraceparent: 00-5bd66ef5095369c7b0d1f8f4bd33716a-c532cb4098ac3dd2-01\r\n\r\n");
            Assert.Equal(200, response.Status);
        }

        // Disposing the gateway flushes the exporter. The span is the protobuf's 16 raw trace-id bytes.
        var traceId = Convert.FromHexString("5bd66ef5095369c7b0d1f8f4bd33716a");
        await Wait.UntilAsync(() => received.Any(body => body.AsSpan().IndexOf(traceId) >= 0), "the span to reach the OTLP receiver");
        var spanId = Convert.FromHexString(upstream.Requests[0].Header("traceparent")![36..52]);
        Assert.Contains(received, body => body.AsSpan().IndexOf(spanId) >= 0);
    }
}
