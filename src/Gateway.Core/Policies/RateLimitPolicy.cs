using System.Runtime.CompilerServices;
using System.Text;
using Gateway.Core.Observability;
using Gateway.Core.RateLimiting;

namespace Gateway.Core.Policies;

/// <summary>
/// A route's rate limiting: every policy it names must grant the request. Allowed or not, the response carries
/// <c>RateLimit-Policy</c> and <c>RateLimit</c> (IETF httpapi rate-limit fields); a refusal is 429 with
/// Retry-After, or 503 when a fail-closed distributed policy cannot reach Redis.
/// </summary>
public sealed class RateLimitPolicy : IRoutePolicy
{
    private readonly ConfiguredRateLimit[] _limits;
    private readonly RateLimitCounters[]? _counters;
    private readonly byte[] _policyLine;
    private readonly bool _allLocal;

    /// <summary>Applies <paramref name="limits"/> in order; decisions are counted when <paramref name="metrics"/> is given.</summary>
    public RateLimitPolicy(ConfiguredRateLimit[] limits, GatewayMetrics? metrics)
    {
        _limits = limits;
        _counters = metrics is null ? null : Array.ConvertAll(limits, l => metrics.RateLimitCounters(l.Name));
        _allLocal = limits.All(l => !l.IsDistributed);
        var items = string.Join(", ", limits.Select(l => Encoding.ASCII.GetString(l.PolicyItem)));
        _policyLine = Encoding.ASCII.GetBytes($"RateLimit-Policy: {items}\r\n");
    }

    /// <inheritdoc/>
    public ValueTask<PolicyOutcome> ApplyAsync(PolicyContext context)
    {
        if (!_allLocal)
        {
            return ApplyWithRedisAsync(context);
        }

        Begin(context);
        var outcome = PolicyOutcome.Continue;
        for (var i = 0; i < _limits.Length && outcome.Continues; i++)
        {
            outcome = Record(context, i, _limits[i].Acquire(context));
        }

        End(context);
        return new ValueTask<PolicyOutcome>(outcome);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<PolicyOutcome> ApplyWithRedisAsync(PolicyContext context)
    {
        Begin(context);
        var outcome = PolicyOutcome.Continue;
        for (var i = 0; i < _limits.Length && outcome.Continues; i++)
        {
            var limit = _limits[i];
            var decision = limit.IsDistributed ? await limit.AcquireAsync(context).ConfigureAwait(false) : limit.Acquire(context);
            outcome = Record(context, i, decision);
        }

        End(context);
        return outcome;
    }

    private void Begin(PolicyContext context)
    {
        context.ResponseFields.Append(_policyLine);
        context.ResponseFields.Append("RateLimit: "u8);
    }

    private static void End(PolicyContext context) => context.ResponseFields.Append("\r\n"u8);

    /// <summary>Adds the decision's item to the RateLimit field and turns a refusal into the outcome.</summary>
    private PolicyOutcome Record(PolicyContext context, int index, RateLimitDecision decision)
    {
        var fields = context.ResponseFields;
        var limit = _limits[index];
        if (index > 0)
        {
            fields.Append(", "u8);
        }

        fields.Append(limit.PolicyItem.AsSpan(0, limit.PolicyItem.AsSpan().IndexOf((byte)';')));
        fields.Append(";r="u8);
        fields.AppendNumber(decision.Remaining);
        fields.Append(";t="u8);
        fields.AppendNumber(Seconds(decision.ResetAfter));
        var counters = _counters?[index];
        if (decision.Allowed)
        {
            counters?.Allowed.Inc();
            return PolicyOutcome.Continue;
        }

        var retryAfter = Seconds(decision.RetryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (decision.StoreUnavailable)
        {
            counters?.Unavailable.Inc();
            return new PolicyOutcome(503, "The shared rate-limit store is unreachable and this limit fails closed.", retryAfter);
        }

        counters?.Limited.Inc();
        return new PolicyOutcome(429, limit.LimitedDetail, retryAfter);
    }

    private static long Seconds(TimeSpan span) => Math.Max(0, (long)Math.Ceiling(span.TotalSeconds));
}
