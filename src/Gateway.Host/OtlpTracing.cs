using Gateway.Core.Observability;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Host;

/// <summary>Exports the gateway's spans over OTLP/HTTP (protobuf) when GATEWAY_OTLP_ENDPOINT is set.</summary>
internal static class OtlpTracing
{
    /// <summary>Starts a tracer provider listening to <see cref="GatewayTracing.Source"/> and exporting to <paramref name="endpoint"/>.</summary>
    public static TracerProvider Start(Uri endpoint) => Sdk.CreateTracerProviderBuilder()
        .AddSource(GatewayTracing.Source.Name)
        .ConfigureResource(resource => resource.AddService("gateway"))
        .AddOtlpExporter(options =>
        {
            options.Protocol = OtlpExportProtocol.HttpProtobuf;
            options.Endpoint = new Uri(endpoint, "v1/traces");
        })
        .Build();
}
