using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Host.Demo;

/// <summary>The demo services' JSON contract, generated at build time so the sample services also run in a NativeAOT build.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DemoUser))]
[JsonSerializable(typeof(IEnumerable<DemoUser>))]
[JsonSerializable(typeof(IOrderedEnumerable<DemoUser>))]
[JsonSerializable(typeof(DemoOrder))]
[JsonSerializable(typeof(DemoProduct))]
[JsonSerializable(typeof(DemoProduct[]))]
[JsonSerializable(typeof(DemoStock))]
[JsonSerializable(typeof(DemoReservation))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
