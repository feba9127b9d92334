using System.Net;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Policies;

/// <summary>
/// Refuses with 403 a client whose address the gateway's <c>ipFilter</c> or the route's does not admit. The address is the
/// real client's (behind <c>GATEWAY_TRUSTED_PROXIES</c>, from X-Forwarded-For); one that cannot be read is refused.
/// </summary>
public sealed class IpFilterStep(IpFilter[] filters) : RouteStep
{
    private const string Refusal = "The client address may not use this route.";

    /// <inheritdoc/>
    public override StepStage Stage => StepStage.IpFilter;

    /// <inheritdoc/>
    public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context)
    {
        if (!IPAddress.TryParse(context.ClientAddress, out var address))
        {
            return new ValueTask<StepOutcome>(StepOutcome.Problem(403, Refusal));
        }

        foreach (var filter in filters)
        {
            if (!filter.Admits(address))
            {
                return new ValueTask<StepOutcome>(StepOutcome.Problem(403, Refusal));
            }
        }

        return new ValueTask<StepOutcome>(StepOutcome.Continue);
    }
}
