namespace Gateway.Core.Policies;

/// <summary>A policy's verdict: go on, or answer now with a problem response.</summary>
public readonly record struct PolicyOutcome(int Status, string? Detail, string? RetryAfter)
{
    /// <summary>Let the request go on to the next step.</summary>
    public static PolicyOutcome Continue => default;

    /// <summary>True when the request goes on.</summary>
    public bool Continues => Status == 0;
}
