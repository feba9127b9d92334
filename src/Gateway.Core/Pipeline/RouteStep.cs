using Gateway.Core.Http;

namespace Gateway.Core.Pipeline;

/// <summary>
/// One step of a route's pipeline. On the way in, in <see cref="StepStage"/> order, it may let the request go on, answer
/// it with any response, or edit the fields the upstream will get. On the way back, every step that ran sees the response
/// (last step first, whoever produced the response: the handler, a later step's refusal, or a gateway error) and may edit
/// its fields and watch its body go by. A request phase that throws gets the client a 500; a response phase or a body
/// observer that throws is left out, and the response goes on without it.
/// </summary>
public abstract class RouteStep
{
    /// <summary>Where the step runs among the others.</summary>
    public abstract StepStage Stage { get; }

    /// <summary>The request phase.</summary>
    public abstract ValueTask<StepOutcome> OnRequestAsync(RequestContext context);

    /// <summary>
    /// The response phase, just before the response head is written: <paramref name="fields"/> are the response's own (the
    /// upstream's, or the handler's); edits go through <see cref="RequestContext.ResponseFields"/>. Returns an observer of the
    /// body as it passes, or null.
    /// </summary>
    public virtual IResponseBodyObserver? OnResponse(RequestContext context, int status, IFieldList fields) => null;
}
