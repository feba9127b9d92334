using System.Text;
using Gateway.Core.Configuration;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;
using Gateway.Core.Policies;
using Gateway.Core.RateLimiting;

namespace Gateway.Core.Policies;

/// <summary>
/// A named rate-limit policy from the configuration, ready to decide: its limiter (local, or shared through Redis)
/// and how a request's key is built (client IP, header value, route, global, consumer or claim, prefixed by the route
/// unless shared).
/// </summary>
public sealed class ConfiguredRateLimit : IAsyncDisposable
{
    private const int MaxKeyLength = 256;
    private readonly RateLimitKeyKind _key;
    private readonly byte[]? _header;
    private readonly string? _claim;
    private readonly RateLimitScope _scope;
    private readonly string _bucketPrefix;
    private readonly LocalRateLimiter? _local;
    private readonly DistributedRateLimiter? _distributed;
    private long _reportedDegraded;

    /// <summary>Builds the limiter for policy <paramref name="name"/>; <paramref name="store"/> is required when the policy is distributed.</summary>
    public ConfiguredRateLimit(string name, RateLimitPolicyConfig config, TimeProvider clock, IRedisRateStore? store, Microsoft.Extensions.Logging.ILogger? logger)
    {
        Name = name;
        Definition = config;
        var period = Duration.TryParse(config.Period, out var parsed, out var reason) ? parsed : throw new ArgumentException(reason, nameof(config));
        Rule = new RateLimitRule(config.Permits, period, config.Burst);
        Cost = config.Cost;
        _key = config.Key;
        _header = config.Header is null ? null : Encoding.ASCII.GetBytes(config.Header);
        _claim = config.Claim;
        _scope = config.Scope;

        // Redis holds the buckets of every distributed policy side by side: the quoted name (a name holds no '"') keeps each
        // policy's buckets its own, so two policies keyed alike never spend from one bucket.
        _bucketPrefix = config.Distributed ? $"\"{name}\"" : "";
        if (config.Distributed)
        {
            _distributed = new DistributedRateLimiter(Rule, store ?? throw new ArgumentNullException(nameof(store)), clock, config.OnRedisFailure, logger: logger);
        }
        else
        {
            _local = new LocalRateLimiter(Rule, clock);
        }

        PolicyItem = Encoding.ASCII.GetBytes($"\"{name}\";q={config.Permits};w={Math.Max(1, (long)Math.Ceiling(period.TotalSeconds))}");
        LimitedDetail = $"The rate limit \"{name}\" is exhausted; retry later.";
    }

    /// <summary>The policy's name.</summary>
    public string Name { get; }

    /// <summary>The policy as configured; a reload keeps this limiter, with its counts, while the definition stays equal.</summary>
    public RateLimitPolicyConfig Definition { get; }

    /// <summary>The bucket rule.</summary>
    public RateLimitRule Rule { get; }

    /// <summary>Permits one request takes.</summary>
    public int Cost { get; }

    /// <summary>True when decisions go through Redis.</summary>
    public bool IsDistributed => _distributed is not null;

    /// <summary>The policy as one item of the RateLimit-Policy field: <c>"name";q=100;w=60</c>.</summary>
    public byte[] PolicyItem { get; }

    /// <summary>The problem detail of a 429 from this policy.</summary>
    public string LimitedDetail { get; }

    /// <summary>Decisions taken from local buckets while Redis was unreachable (distributed policies only).</summary>
    public long DegradedDecisions => _distributed?.DegradedDecisions ?? 0;

    /// <summary>The degraded decisions taken since the last call (for a counter that outlives this limiter across reloads).</summary>
    public long TakeDegradedDecisions()
    {
        var total = DegradedDecisions;
        return total - Interlocked.Exchange(ref _reportedDegraded, total);
    }

    /// <summary>Decides on a local policy; allocates nothing for a key seen before.</summary>
    public RateLimitDecision Acquire(RequestContext context)
    {
        Span<char> key = stackalloc char[MaxKeyLength];
        return _local!.Acquire(key[..BuildKey(context, key)], Cost);
    }

    /// <summary>Decides on a distributed policy; allocates nothing for a key that holds a block, except to reserve the next one.</summary>
    public ValueTask<RateLimitDecision> AcquireAsync(RequestContext context)
    {
        Span<char> key = stackalloc char[MaxKeyLength];
        return _distributed!.AcquireAsync(key[..BuildKey(context, key)], Cost);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _local?.Dispose();
        if (_distributed is not null)
        {
            await _distributed.DisposeAsync().ConfigureAwait(false);
        }
    }

    private int BuildKey(RequestContext context, Span<char> key)
    {
        var length = Append(key, 0, _bucketPrefix);
        if (_scope == RateLimitScope.Route)
        {
            length = Append(key, length, context.Route!.Id);
            key[length++] = '|';
        }

        return _key switch
        {
            RateLimitKeyKind.ClientIp => Append(key, length, context.ClientAddress),
            RateLimitKeyKind.Header => AppendLatin1(key, length, context.Head.FirstValueOf(_header)),
            RateLimitKeyKind.Consumer => Append(key, length, context.Consumer ?? ""),
            RateLimitKeyKind.Claim => Append(key, length, context.Claims?.FindFirst(_claim!)?.Value ?? ""),
            _ => length,
        };
    }

    private static int Append(Span<char> key, int at, string text)
    {
        var count = Math.Min(text.Length, key.Length - at);
        text.AsSpan(0, count).CopyTo(key[at..]);
        return at + count;
    }

    private static int AppendLatin1(Span<char> key, int at, ReadOnlySpan<byte> bytes)
    {
        var count = Math.Min(bytes.Length, key.Length - at);
        return at + Encoding.Latin1.GetChars(bytes[..count], key[at..]);
    }
}
