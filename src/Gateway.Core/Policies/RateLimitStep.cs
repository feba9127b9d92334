using System.Runtime.CompilerServices;
using System.Text;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.RateLimiting;

namespace Gateway.Core.Policies;

/// <summary>
/// A route's rate limiting: every policy it names must grant the request. Allowed or not, the response carries
/// <c>RateLimit-Policy</c> and <c>RateLimit</c> (IETF httpapi rate-limit fields); a refusal is 429 with
/// Retry-After, or 503 when a fail-closed distributed policy cannot reach Redis.
/// </summary>
public sealed class RateLimitStep : RouteStep
{
    private readonly ConfiguredRateLimit[] _limits;
    private readonly RateLimitCounters[]? _counters;
    private readonly byte[] _policyValue;
    private readonly bool _allLocal;

    /// <summary>
    /// Applies <paramref name="limits"/> in order at <paramref name="stage"/> (after authentication for limits keyed on the
    /// consumer); decisions are counted when <paramref name="metrics"/> is given.
    /// </summary>
    public RateLimitStep(ConfiguredRateLimit[] limits, GatewayMetrics? metrics, StepStage stage = StepStage.RateLimit)
    {
        Stage = stage;
        _limits = limits;
        _counters = metrics is null ? null : Array.ConvertAll(limits, l => metrics.RateLimitCounters(l.Name));
        _allLocal = limits.All(l => !l.IsDistributed);
        _policyValue = Encoding.ASCII.GetBytes(string.Join(", ", limits.Select(l => Encoding.ASCII.GetString(l.PolicyItem))));
    }

    /// <inheritdoc/>
    public override StepStage Stage { get; }

    /// <inheritdoc/>
    public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context)
    {
        if (!_allLocal)
        {
            return ApplyWithRedisAsync(context);
        }

        Begin(context);
        var outcome = StepOutcome.Continue;
        var retryAfter = -1L;
        for (var i = 0; i < _limits.Length && outcome.Continues; i++)
        {
            outcome = Record(context, i, _limits[i].Acquire(context), out retryAfter);
        }

        End(context, retryAfter);
        return new ValueTask<StepOutcome>(outcome);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<StepOutcome> ApplyWithRedisAsync(RequestContext context)
    {
        Begin(context);
        var outcome = StepOutcome.Continue;
        var retryAfter = -1L;
        for (var i = 0; i < _limits.Length && outcome.Continues; i++)
        {
            var limit = _limits[i];
            var decision = limit.IsDistributed ? await limit.AcquireAsync(context).ConfigureAwait(false) : limit.Acquire(context);
            outcome = Record(context, i, decision, out retryAfter);
        }

        End(context, retryAfter);
        return outcome;
    }

    private void Begin(RequestContext context)
    {
        var fields = context.ResponseFields.Added;
        fields.Add("RateLimit-Policy"u8, _policyValue);
        fields.BeginField("RateLimit"u8);
    }

    /// <summary>Ends the RateLimit field; after a refusal (<paramref name="retryAfterSeconds"/> not negative), adds Retry-After too.</summary>
    private static void End(RequestContext context, long retryAfterSeconds)
    {
        var fields = context.ResponseFields.Added;
        fields.EndField();
        if (retryAfterSeconds >= 0)
        {
            fields.BeginField("Retry-After"u8);
            fields.AppendNumber(retryAfterSeconds);
            fields.EndField();
        }
    }

    /// <summary>Adds the decision's item to the RateLimit field and turns a refusal into the outcome (and the seconds to wait, else -1).</summary>
    private StepOutcome Record(RequestContext context, int index, RateLimitDecision decision, out long retryAfter)
    {
        retryAfter = -1;
        var fields = context.ResponseFields.Added;
        var limit = _limits[index];
        if (index > 0)
        {
            fields.AppendValue(", "u8);
        }

        fields.AppendValue(limit.PolicyItem.AsSpan(0, limit.PolicyItem.AsSpan().IndexOf((byte)';')));
        fields.AppendValue(";r="u8);
        fields.AppendNumber(decision.Remaining);
        fields.AppendValue(";t="u8);
        fields.AppendNumber(Seconds(decision.ResetAfter));
        var counters = _counters?[index];
        if (decision.Allowed)
        {
            counters?.Allowed.Inc();
            return StepOutcome.Continue;
        }

        retryAfter = Seconds(decision.RetryAfter);
        if (decision.StoreUnavailable)
        {
            counters?.Unavailable.Inc();
            return StepOutcome.Problem(503, "The shared rate-limit store is unreachable and this limit fails closed.");
        }

        counters?.Limited.Inc();
        return StepOutcome.Problem(429, limit.LimitedDetail);
    }

    private static long Seconds(TimeSpan span) => Math.Max(0, (long)Math.Ceiling(span.TotalSeconds));
}
