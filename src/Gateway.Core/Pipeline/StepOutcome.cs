namespace Gateway.Core.Pipeline;

/// <summary>What a step decided about a request: go on to the next step, or answer now (a problem, or any response).</summary>
public readonly struct StepOutcome
{
    private StepOutcome(int status, string? detail, GatewayResponse? response)
    {
        Status = status;
        Detail = detail;
        Response = response;
    }

    /// <summary>Let the request go on.</summary>
    public static StepOutcome Continue => default;

    /// <summary>True when the request goes on.</summary>
    public bool Continues => Status == 0;

    /// <summary>The status of the answer, or 0 to go on.</summary>
    public int Status { get; }

    /// <summary>The detail of a problem answer (RFC 9457); null when the answer is <see cref="Response"/>.</summary>
    public string? Detail { get; }

    /// <summary>The whole response to answer with, or null for a problem answer.</summary>
    public GatewayResponse? Response { get; }

    /// <summary>Answer with an <c>application/problem+json</c> response (fields for it go through the context's response edits).</summary>
    public static StepOutcome Problem(int status, string detail)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        return new(status, detail, null);
    }

    /// <summary>Answer with <paramref name="response"/>, made whole in memory (its status 200 to 599).</summary>
    public static StepOutcome Respond(GatewayResponse response)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(response.Status, 200);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(response.Status, 599);
        return new(response.Status, null, response);
    }
}
