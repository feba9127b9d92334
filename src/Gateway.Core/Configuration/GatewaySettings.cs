using System.Globalization;
using Gateway.Core.Observability;

namespace Gateway.Core.Configuration;

/// <summary>The process-wide tuning knobs, each read from one <c>GATEWAY_*</c> environment variable (see the README table).</summary>
public sealed record GatewaySettings
{
    /// <summary>Public listener URLs (GATEWAY_LISTEN, several separated by ';').</summary>
    public IReadOnlyList<string> Listen { get; init; } = ["http://0.0.0.0:8080"];

    /// <summary>Admin listener URL (GATEWAY_ADMIN_LISTEN); empty turns it off.</summary>
    public string AdminListen { get; init; } = "http://127.0.0.1:9901";

    /// <summary>Configuration file path (GATEWAY_CONFIG, or --config).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Quick-start upstream URL (GATEWAY_UPSTREAM): one catch-all route to it.</summary>
    public string? Upstream { get; init; }

    /// <summary>StackExchange.Redis configuration (e.g. <c>localhost:6379</c>) for state shared by gateway instances (GATEWAY_REDIS).</summary>
    public string? Redis { get; init; }

    /// <summary>
    /// Networks of proxies in front of the gateway whose X-Forwarded-* fields are believed (GATEWAY_TRUSTED_PROXIES);
    /// from any other peer those fields are replaced.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>HTTP/1.1 front limits and deadlines.</summary>
    public HttpLimits Limits { get; init; } = new();

    /// <summary>Upstream connection pool and timeout defaults.</summary>
    public UpstreamSettings UpstreamDefaults { get; init; } = new();

    /// <summary>Kestrel socket transport settings.</summary>
    public TransportSettings Transport { get; init; } = new();

    /// <summary>Metrics, access log and tracing.</summary>
    public ObservabilitySettings Observability { get; init; } = new();

    /// <summary>How long shutdown waits for in-flight requests (GATEWAY_DRAIN_TIMEOUT).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads every known variable through <paramref name="get"/>; throws <see cref="ConfigException"/> naming the variable on a bad value.</summary>
    public static GatewaySettings FromEnvironment(Func<string, string?> get)
    {
        var reader = new EnvironmentReader(get);
        var defaults = new GatewaySettings();
        var limits = defaults.Limits;
        var upstream = defaults.UpstreamDefaults;
        var transport = defaults.Transport;
        var observability = defaults.Observability;
        return new GatewaySettings
        {
            Listen = reader.List("GATEWAY_LISTEN") ?? defaults.Listen,
            AdminListen = reader.Text("GATEWAY_ADMIN_LISTEN") ?? defaults.AdminListen,
            ConfigPath = reader.Text("GATEWAY_CONFIG"),
            Upstream = reader.Text("GATEWAY_UPSTREAM"),
            Redis = reader.Text("GATEWAY_REDIS"),
            TrustedProxies = reader.Networks("GATEWAY_TRUSTED_PROXIES") ?? defaults.TrustedProxies,
            DrainTimeout = reader.Duration("GATEWAY_DRAIN_TIMEOUT") ?? defaults.DrainTimeout,
            Limits = new HttpLimits
            {
                MaxRequestLineBytes = reader.Int("GATEWAY_MAX_REQUEST_LINE_BYTES", 64, 1 << 20) ?? limits.MaxRequestLineBytes,
                MaxRequestHeadersBytes = reader.Int("GATEWAY_MAX_REQUEST_HEADERS_BYTES", 256, 1 << 24) ?? limits.MaxRequestHeadersBytes,
                MaxRequestHeaderCount = reader.Int("GATEWAY_MAX_REQUEST_HEADER_COUNT", 1, 10_000) ?? limits.MaxRequestHeaderCount,
                MaxRequestBodyBytes = reader.Long("GATEWAY_MAX_REQUEST_BODY_BYTES") ?? limits.MaxRequestBodyBytes,
                RequestHeadersTimeout = reader.Duration("GATEWAY_REQUEST_HEADERS_TIMEOUT") ?? limits.RequestHeadersTimeout,
                KeepAliveTimeout = reader.Duration("GATEWAY_KEEPALIVE_TIMEOUT") ?? limits.KeepAliveTimeout,
                MinRequestBodyRate = reader.Int("GATEWAY_MIN_REQUEST_BODY_RATE", 0, int.MaxValue) ?? limits.MinRequestBodyRate,
                MinRequestBodyRateGrace = reader.Duration("GATEWAY_MIN_REQUEST_BODY_RATE_GRACE") ?? limits.MinRequestBodyRateGrace,
            },
            UpstreamDefaults = new UpstreamSettings
            {
                Timeout = reader.Duration("GATEWAY_UPSTREAM_TIMEOUT") ?? upstream.Timeout,
                ConnectTimeout = reader.Duration("GATEWAY_UPSTREAM_CONNECT_TIMEOUT") ?? upstream.ConnectTimeout,
                MaxConnectionsPerDestination = reader.Int("GATEWAY_UPSTREAM_MAX_CONNECTIONS", 1, int.MaxValue) ?? upstream.MaxConnectionsPerDestination,
                PooledConnectionIdleTimeout = reader.Duration("GATEWAY_UPSTREAM_IDLE_TIMEOUT") ?? upstream.PooledConnectionIdleTimeout,
            },
            Transport = new TransportSettings
            {
                IoQueueCount = reader.Int("GATEWAY_IO_QUEUE_COUNT", 0, 1024) ?? transport.IoQueueCount,
                InlineScheduling = reader.Bool("GATEWAY_INLINE_SCHEDULING") ?? transport.InlineScheduling,
                InlineCompletions = reader.Bool("GATEWAY_INLINE_COMPLETIONS") ?? transport.InlineCompletions,
                MaxReadBufferBytes = reader.Long("GATEWAY_MAX_READ_BUFFER_BYTES") ?? transport.MaxReadBufferBytes,
                MaxWriteBufferBytes = reader.Long("GATEWAY_MAX_WRITE_BUFFER_BYTES") ?? transport.MaxWriteBufferBytes,
                MaxConnections = reader.Long("GATEWAY_MAX_CONNECTIONS") ?? transport.MaxConnections,
                MaxConnectionsPerClient = reader.Int("GATEWAY_MAX_CONNECTIONS_PER_CLIENT", 0, int.MaxValue) ?? transport.MaxConnectionsPerClient,
            },
            Observability = new ObservabilitySettings
            {
                Metrics = reader.Bool("GATEWAY_METRICS") ?? observability.Metrics,
                OtlpEndpoint = reader.Url("GATEWAY_OTLP_ENDPOINT") ?? observability.OtlpEndpoint,
                AccessLog = new AccessLogSettings
                {
                    Target = reader.Text("GATEWAY_ACCESS_LOG") ?? observability.AccessLog.Target,
                    Format = reader.Text("GATEWAY_ACCESS_LOG_FORMAT")?.ToLowerInvariant() switch
                    {
                        null => observability.AccessLog.Format,
                        "json" => AccessLogFormat.Json,
                        "common" or "clf" => AccessLogFormat.Common,
                        var other => throw new ConfigException("environment", "GATEWAY_ACCESS_LOG_FORMAT", $"expected json or common, got \"{other}\""),
                    },
                    SampleRate = reader.Fraction("GATEWAY_ACCESS_LOG_SAMPLE") ?? observability.AccessLog.SampleRate,
                    QueueCapacity = reader.Int("GATEWAY_ACCESS_LOG_QUEUE", 1, 10_000_000) ?? observability.AccessLog.QueueCapacity,
                },
            },
        };
    }

    /// <summary>Typed reads of environment variables that fail with the variable's name.</summary>
    private readonly struct EnvironmentReader(Func<string, string?> get)
    {
        public string? Text(string name) => string.IsNullOrWhiteSpace(get(name)) ? null : get(name)!.Trim();

        public string[]? List(string name) =>
            Text(name)?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public int? Int(string name, int min, int max)
        {
            var value = Long(name);
            if (value is { } v && (v < min || v > max))
            {
                throw new ConfigException("environment", name, $"must be between {min} and {max}, got {v}");
            }

            return (int?)value;
        }

        public long? Long(string name)
        {
            var text = Text(name);
            if (text is null)
            {
                return null;
            }

            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new ConfigException("environment", name, $"expected a non-negative integer, got \"{text}\"");
        }

        public bool? Bool(string name) => Text(name)?.ToLowerInvariant() switch
        {
            null => null,
            "1" or "true" or "yes" or "on" => true,
            "0" or "false" or "no" or "off" => false,
            var other => throw new ConfigException("environment", name, $"expected true or false, got \"{other}\""),
        };

        public System.Net.IPNetwork[]? Networks(string name) => List(name)?
            .SelectMany(item => item.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(item => System.Net.IPNetwork.TryParse(item, out var network) ? network
                : System.Net.IPAddress.TryParse(item, out var address) ? new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8)
                : throw new ConfigException("environment", name, $"\"{item}\" is not an address or CIDR block such as 10.0.0.0/8"))
            .ToArray();

        public double? Fraction(string name)
        {
            var text = Text(name);
            if (text is null)
            {
                return null;
            }

            return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value <= 1
                ? value
                : throw new ConfigException("environment", name, $"expected a number from 0 to 1, got \"{text}\"");
        }

        public Uri? Url(string name)
        {
            var text = Text(name);
            if (text is null)
            {
                return null;
            }

            return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
                ? url
                : throw new ConfigException("environment", name, $"expected an http:// or https:// URL, got \"{text}\"");
        }

        public TimeSpan? Duration(string name)
        {
            var text = Text(name);
            if (text is null)
            {
                return null;
            }

            return Configuration.Duration.TryParse(text, out var value, out var reason)
                ? value
                : throw new ConfigException("environment", name, $"{reason}, got \"{text}\"");
        }
    }
}

/// <summary>What the gateway reports about the traffic it serves.</summary>
public sealed record ObservabilitySettings
{
    /// <summary>Prometheus metrics on the admin /metrics (GATEWAY_METRICS).</summary>
    public bool Metrics { get; init; } = true;

    /// <summary>The access log (GATEWAY_ACCESS_LOG*).</summary>
    public AccessLogSettings AccessLog { get; init; } = new();

    /// <summary>OTLP/HTTP endpoint that receives spans (GATEWAY_OTLP_ENDPOINT); null keeps tracing export off.</summary>
    public Uri? OtlpEndpoint { get; init; }
}

/// <summary>Limits and deadlines the HTTP/1.1 front enforces on clients.</summary>
public sealed record HttpLimits
{
    /// <summary>Longest request line (method, target, version); longer is 414.</summary>
    public int MaxRequestLineBytes { get; init; } = 8 * 1024;

    /// <summary>Largest total size of the header lines; larger is 431.</summary>
    public int MaxRequestHeadersBytes { get; init; } = 32 * 1024;

    /// <summary>Most header fields in one request; more is 431.</summary>
    public int MaxRequestHeaderCount { get; init; } = 100;

    /// <summary>Largest request body; larger is 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 30_000_000;

    /// <summary>Deadline for the whole request head from its first byte; past it, 408 and close.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle keep-alive connection is kept open waiting for the next request.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(130);

    /// <summary>Slowest request body accepted, in bytes per second spent waiting for the client (0: no minimum); slower is 408.</summary>
    public long MinRequestBodyRate { get; init; } = 240;

    /// <summary>Time spent waiting for request body bytes before <see cref="MinRequestBodyRate"/> is enforced.</summary>
    public TimeSpan MinRequestBodyRateGrace { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Defaults for every cluster's upstream connections (a cluster may override the timeout).</summary>
public sealed record UpstreamSettings
{
    /// <summary>Longest wait for upstream activity (response head, or the next piece of the body); past it, 504.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a TCP connect to a destination; past it, 502.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Cap on pooled connections to one destination.</summary>
    public int MaxConnectionsPerDestination { get; init; } = int.MaxValue;

    /// <summary>How long an idle pooled upstream connection is kept.</summary>
    public TimeSpan PooledConnectionIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>Kestrel socket transport settings for the public listeners.</summary>
public sealed record TransportSettings
{
    /// <summary>Socket IO queues; 0 keeps Kestrel's default (one per core, at most 16).</summary>
    public int IoQueueCount { get; init; }

    /// <summary>Run connection code inline on the IO thread instead of the thread pool (on by default: the gateway never blocks).</summary>
    public bool InlineScheduling { get; init; } = true;

    /// <summary>Complete socket operations inline on the epoll thread (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS); on by default.</summary>
    public bool InlineCompletions { get; init; } = true;

    /// <summary>Bytes buffered from a client before the transport stops reading.</summary>
    public long MaxReadBufferBytes { get; init; } = 1024 * 1024;

    /// <summary>Bytes buffered toward a client before writes wait.</summary>
    public long MaxWriteBufferBytes { get; init; } = 64 * 1024;

    /// <summary>Most open client connections; 0 means no cap. More are answered 503 and closed.</summary>
    public long MaxConnections { get; init; }

    /// <summary>Most open connections from one client address (the socket peer); 0 means no cap. More are answered 503 and closed.</summary>
    public int MaxConnectionsPerClient { get; init; }
}
