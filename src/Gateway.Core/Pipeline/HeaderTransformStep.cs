using Gateway.Core.Http;

namespace Gateway.Core.Pipeline;

/// <summary>
/// A route's header transforms: fields set on or removed from the request toward the upstream, and the response toward the
/// client. It runs first, so its response edits come last and apply to every response of the route, a step's refusal
/// included. Values may use the route's parameters; a request whose parameters cannot fill them safely is refused with 400.
/// The fields the gateway owns are refused at load (<c>HeaderRules.IsGatewayOwned</c>), never here.
/// </summary>
public sealed class HeaderTransformStep(HeaderTransform request, HeaderTransform response) : RouteStep
{
    /// <inheritdoc/>
    public override StepStage Stage => StepStage.Transforms;

    /// <inheritdoc/>
    public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context)
    {
        if (!request.IsSafeFor(context) || !response.IsSafeFor(context))
        {
            return new ValueTask<StepOutcome>(StepOutcome.Problem(400, DirectResponseHandler.UnsafeParameterDetail));
        }

        request.ApplyTo(context.UpstreamFields, context);
        return new ValueTask<StepOutcome>(StepOutcome.Continue);
    }

    /// <inheritdoc/>
    public override IResponseBodyObserver? OnResponse(RequestContext context, int status, IFieldList fields)
    {
        if (response.IsSafeFor(context))
        {
            response.ApplyTo(context.ResponseFields, context);
        }

        return null;
    }
}
