using System.Globalization;

namespace Gateway.LoadTests.Load;

/// <summary>Closed model: <see cref="Users"/> virtual users, each sending its next request as soon as the previous one answered.</summary>
internal sealed record ConcurrencyStage(int Users, TimeSpan Duration) : LoadStage(Duration)
{
    /// <inheritdoc/>
    public override string Kind => "concurrency";

    /// <inheritdoc/>
    public override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Users} virtual users (closed model) for {Duration.TotalSeconds:0.##}s");
}
