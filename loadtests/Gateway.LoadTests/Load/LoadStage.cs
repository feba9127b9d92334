namespace Gateway.LoadTests.Load;

/// <summary>One phase of a scenario's load: how requests are injected, and for how long.</summary>
internal abstract record LoadStage(TimeSpan Duration)
{
    /// <summary>Short kind name for reports: <c>ramp</c>, <c>constant</c> or <c>concurrency</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>One line for people, e.g. <c>ramp 200→2000 req/s for 5s</c>.</summary>
    public abstract string Describe();
}
