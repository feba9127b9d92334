using Gateway.Core.Pipeline;

namespace Gateway.Core.Authentication;

/// <summary>
/// Takes the route's query-parameter credentials (API keys sent as <c>?api_key=...</c>) out of the query before any other
/// step, so no answer, whichever step gives it (an IP filter's 403, a preflight, a 429), logs or forwards them; the
/// authenticators read them from where the head keeps removed parameters.
/// </summary>
public sealed class QueryCredentialStep(byte[][] names) : RouteStep
{
    /// <inheritdoc/>
    public override StepStage Stage => StepStage.IdentityFields;

    /// <inheritdoc/>
    public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context)
    {
        context.Head.RemoveQueryParameters(names);
        return new ValueTask<StepOutcome>(StepOutcome.Continue);
    }
}
