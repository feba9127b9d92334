using Gateway.Core.Http;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Policies;

/// <summary>
/// A route's CORS: the gateway answers preflights itself (204 with the allowed methods, fields and max-age, or 403 without
/// CORS fields for an origin, method or field the policy does not allow), and on every other response of the route,
/// whoever made it, grants an allowed origin (Access-Control-Allow-Origin, -Credentials, -Expose-Headers) and says
/// <c>Vary: Origin</c>. A disallowed origin gets no CORS fields. The upstream's own Access-Control-Allow-* and -Expose-Headers fields are dropped, so only
/// the gateway's policy speaks.
/// </summary>
public sealed class CorsStep(CorsPolicy policy) : RouteStep
{
    private static readonly byte[][] UpstreamCorsFields =
    [
        "Access-Control-Allow-Origin"u8.ToArray(), "Access-Control-Allow-Credentials"u8.ToArray(), "Access-Control-Allow-Methods"u8.ToArray(),
        "Access-Control-Allow-Headers"u8.ToArray(), "Access-Control-Max-Age"u8.ToArray(), "Access-Control-Expose-Headers"u8.ToArray(),
    ];

    /// <inheritdoc/>
    public override StepStage Stage => StepStage.Cors;

    /// <inheritdoc/>
    public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context)
    {
        var head = context.Head;
        if (!head.IsPreflight)
        {
            return new ValueTask<StepOutcome>(StepOutcome.Continue);
        }

        if (!policy.AllowsOrigin(head.FirstValueOf("Origin"u8)))
        {
            return new ValueTask<StepOutcome>(StepOutcome.Problem(403, "The origin may not make cross-origin requests to this route."));
        }

        if (!policy.AllowsMethod(head.PreflightMethodBytes) || !policy.AllowsHeaders(head.FirstValueOf("Access-Control-Request-Headers"u8)))
        {
            return new ValueTask<StepOutcome>(StepOutcome.Problem(403, "The cross-origin request asks for a method or header fields this route does not allow."));
        }

        var answer = context.Response;
        answer.Reset(204);
        answer.Fields.Add("Access-Control-Allow-Methods"u8, policy.AllowMethods);
        if (policy.AllowHeaders is { } headers)
        {
            answer.Fields.Add("Access-Control-Allow-Headers"u8, headers);
        }

        if (policy.MaxAgeSeconds >= 0)
        {
            answer.Fields.BeginField("Access-Control-Max-Age"u8);
            answer.Fields.AppendNumber(policy.MaxAgeSeconds);
            answer.Fields.EndField();
        }

        return new ValueTask<StepOutcome>(StepOutcome.Respond(answer));
    }

    /// <inheritdoc/>
    public override IResponseBodyObserver? OnResponse(RequestContext context, int status, IFieldList fields)
    {
        var head = context.Head;
        var edits = context.ResponseFields;
        if (!head.IsPreflight)
        {
            // A preflight's answer is this step's own; any other response may come from an upstream with CORS fields of its own.
            foreach (var name in UpstreamCorsFields)
            {
                edits.Remove(name);
            }
        }

        var added = edits.Added;
        if (!policy.AnyOrigin)
        {
            added.Add("Vary"u8, "Origin"u8);
        }

        var origin = head.FirstValueOf("Origin"u8);
        if (!policy.AllowsOrigin(origin) || (head.IsPreflight && status != 204))
        {
            // A disallowed origin, and a preflight refused for its method or fields, get no grant.
            return null;
        }

        added.Add("Access-Control-Allow-Origin"u8, policy.AnyOrigin ? "*"u8 : origin);
        if (policy.Credentials)
        {
            added.Add("Access-Control-Allow-Credentials"u8, "true"u8);
        }

        if (!head.IsPreflight && policy.ExposeHeaders is { } exposed)
        {
            added.Add("Access-Control-Expose-Headers"u8, exposed);
        }

        return null;
    }
}
