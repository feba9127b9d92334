namespace Gateway.Core.Policies;

/// <summary>One step of a route's pipeline, run in order after routing and before forwarding; only configured steps exist.</summary>
public interface IRoutePolicy
{
    /// <summary>Decides whether the request goes on; may add response fields through the context.</summary>
    ValueTask<PolicyOutcome> ApplyAsync(PolicyContext context);
}
