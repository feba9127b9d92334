using Gateway.LoadTests.Load;

namespace Gateway.LoadTests.Scenarios;

/// <summary>The load asked for on the command line: how long, at what peak rate (open model) or with how many users (closed model).</summary>
internal sealed record LoadProfile(TimeSpan Duration, double Rate, int? Users)
{
    /// <summary>The usual shape: with users, a closed-model stage for the whole duration; otherwise a ramp from a tenth of the rate to the rate over the first quarter (which also warms the JIT), then the rate held.</summary>
    public IReadOnlyList<LoadStage> RampThenHold()
    {
        if (Users is { } users)
        {
            return [new ConcurrencyStage(users, Duration)];
        }

        var ramp = TimeSpan.FromSeconds(Math.Max(1, Math.Round(Duration.TotalSeconds / 4)));
        return ramp >= Duration
            ? [new ConstantRateStage(Rate, Duration)]
            : [new RampStage(Rate / 10, Rate, ramp), new ConstantRateStage(Rate, Duration - ramp)];
    }
}
