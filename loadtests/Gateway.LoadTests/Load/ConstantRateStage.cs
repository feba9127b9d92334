using System.Globalization;

namespace Gateway.LoadTests.Load;

/// <summary>Open model: a constant arrival rate, the way real independent clients arrive.</summary>
internal sealed record ConstantRateStage(double Rate, TimeSpan Duration) : OpenStage(Rate, Rate, Duration)
{
    /// <inheritdoc/>
    public override string Kind => "constant";

    /// <inheritdoc/>
    public override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"constant {FormatRate(Rate)} req/s for {Duration.TotalSeconds:0.##}s");
}
