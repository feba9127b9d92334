using Gateway.Core.Pipeline;

namespace Gateway.Core.Authentication;

/// <summary>
/// Takes every field that any route's <c>identityHeaders</c> names out of the client's request, on every route and before
/// any other step, so a client can never pass an identity of its own choosing to an upstream, through a route with
/// authentication or one without. Authentication sets the real ones afterwards.
/// </summary>
public sealed class IdentityFieldsStep(byte[][] names) : RouteStep
{
    /// <inheritdoc/>
    public override StepStage Stage => StepStage.IdentityFields;

    /// <inheritdoc/>
    public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context)
    {
        foreach (var name in names)
        {
            context.UpstreamFields.Remove(name);
        }

        return new ValueTask<StepOutcome>(StepOutcome.Continue);
    }
}
