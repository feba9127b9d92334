using System.Globalization;

namespace Gateway.LoadTests.Load;

/// <summary>Open model: the arrival rate grows (or falls) linearly from one rate to another over the stage.</summary>
internal sealed record RampStage(double FromRate, double ToRate, TimeSpan Duration) : OpenStage(FromRate, ToRate, Duration)
{
    /// <inheritdoc/>
    public override string Kind => "ramp";

    /// <inheritdoc/>
    public override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"ramp {FormatRate(FromRate)}→{FormatRate(ToRate)} req/s for {Duration.TotalSeconds:0.##}s");
}
