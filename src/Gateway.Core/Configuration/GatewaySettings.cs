using System.Globalization;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Sockets;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Configuration;

/// <summary>The process-wide tuning knobs, each read from one <c>GATEWAY_*</c> environment variable (see the table in docs/configuration.md#environment-variables).</summary>
public sealed record GatewaySettings
{
    /// <summary>The public listener when neither GATEWAY_LISTEN nor the configuration file names one.</summary>
    public static readonly IReadOnlyList<string> DefaultListen = ["http://0.0.0.0:8080"];

    /// <summary>Public listener URLs (GATEWAY_LISTEN, several separated by ';'); null when unset, so the file's "listen" or <see cref="DefaultListen"/> applies.</summary>
    public IReadOnlyList<string>? Listen { get; init; }

    /// <summary>Admin listener URL (GATEWAY_ADMIN_LISTEN); empty turns it off.</summary>
    public string AdminListen { get; init; } = "http://127.0.0.1:9901";

    /// <summary>The bearer token the admin endpoints (all but /healthz, /readyz and /metrics) require (GATEWAY_ADMIN_TOKEN); null: none.</summary>
    public string? AdminToken { get; init; }

    /// <summary>Configuration file path (GATEWAY_CONFIG, or --config).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Whether a change of the configuration file reloads it (GATEWAY_CONFIG_WATCH); SIGHUP and the admin API reload either way.</summary>
    public bool WatchConfig { get; init; } = true;

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

    /// <summary>The public listeners to bind for <paramref name="config"/>: GATEWAY_LISTEN, else the file's "listen", else the default.</summary>
    public IReadOnlyList<string> ListenersFor(GatewayConfig config) => Listen ?? config.Listen ?? DefaultListen;

    /// <summary>
    /// Every public listener to bind for <paramref name="config"/>: the default listeners (<see cref="ListenersFor"/>) first,
    /// then each frontend's own, frontends in the order of their names.
    /// </summary>
    public IReadOnlyList<PublicListener> PublicListenersFor(GatewayConfig config) =>
    [
        .. ListenersFor(config).Select(url => new PublicListener(url, ListenAddress.Parse(url, "GATEWAY_LISTEN"), null)),
        .. config.Frontends.OrderBy(frontend => frontend.Key, StringComparer.Ordinal).SelectMany(frontend => frontend.Value.Listen.Select(url =>
            new PublicListener(url, ListenAddress.Parse(url, ConfigJson.Member("$.frontends", frontend.Key) + ".listen"), frontend.Key))),
    ];

    /// <summary>
    /// Throws a <see cref="ConfigException"/> when the listeners of <paramref name="config"/> cannot serve as configured: an
    /// <c>https://</c> listener (default or a frontend's) would have no certificate, or a frontend's listener binds a port of
    /// the default listeners.
    /// </summary>
    public void CheckListeners(GatewayConfig config, string source)
    {
        var listeners = PublicListenersFor(config);
        if (config.Tls is null && listeners.Any(listener => listener.Address.Https))
        {
            throw new ConfigException(source, "$.tls", "an https:// listener needs certificates: add \"tls\": { \"certificates\": [ { \"cert\": ..., \"key\": ... } ] }");
        }

        var defaults = listeners.Where(listener => listener.Frontend is null).ToList();
        foreach (var listener in listeners.Where(listener => listener.Frontend is not null))
        {
            if (defaults.Find(other => other.Address.Overlaps(listener.Address)) is { } taken)
            {
                var origin = Listen is not null ? "from GATEWAY_LISTEN" : config.Listen is not null ? "from \"listen\"" : "used when neither GATEWAY_LISTEN nor \"listen\" names one";
                var at = $"{ConfigJson.Member("$.frontends", listener.Frontend!)}.listen[{config.Frontends[listener.Frontend!].Listen.IndexOf(listener.Url)}]";
                throw new ConfigException(source, at, $"\"{listener.Url}\" binds the port of the default listener \"{taken.Url}\" ({origin}); a listener serves one frontend");
            }
        }
    }

    /// <summary>The clock of rate limits and caches: the system's, unless a test sets its own (no environment variable).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// How long a stopping gateway keeps accepting and serving as usual, <c>/readyz</c> answering 503, before it drains
    /// (GATEWAY_DRAIN_DELAY): load balancers keep sending for a few seconds after an instance starts to stop.
    /// </summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long shutdown waits for in-flight requests (GATEWAY_DRAIN_TIMEOUT).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a WebSocket tunnel may pass no byte either way before the gateway closes it (GATEWAY_WEBSOCKET_IDLE_TIMEOUT).</summary>
    public TimeSpan WebSocketIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Reads every known variable through <paramref name="get"/>; throws <see cref="ConfigException"/> naming the variable on a bad value.</summary>
    public static GatewaySettings FromEnvironment(Func<string, string?> get)
    {
        var reader = new EnvironmentReader(get);
        var defaults = new GatewaySettings();
        var limits = defaults.Limits;
        var upstream = defaults.UpstreamDefaults;
        var transport = defaults.Transport;
        var transportKind = TransportKindFrom(reader);
        var observability = defaults.Observability;
        return new GatewaySettings
        {
            Listen = reader.List("GATEWAY_LISTEN"),
            AdminListen = reader.IsSet("GATEWAY_ADMIN_LISTEN") ? reader.Text("GATEWAY_ADMIN_LISTEN") ?? "" : defaults.AdminListen,
            AdminToken = reader.Text("GATEWAY_ADMIN_TOKEN"),
            ConfigPath = reader.Text("GATEWAY_CONFIG"),
            WatchConfig = reader.Bool("GATEWAY_CONFIG_WATCH") ?? defaults.WatchConfig,
            Upstream = reader.Text("GATEWAY_UPSTREAM"),
            Redis = reader.Text("GATEWAY_REDIS"),
            TrustedProxies = reader.Networks("GATEWAY_TRUSTED_PROXIES") ?? defaults.TrustedProxies,
            DrainDelay = reader.Duration("GATEWAY_DRAIN_DELAY") ?? defaults.DrainDelay,
            DrainTimeout = reader.Duration("GATEWAY_DRAIN_TIMEOUT") ?? defaults.DrainTimeout,
            WebSocketIdleTimeout = reader.PositiveDuration("GATEWAY_WEBSOCKET_IDLE_TIMEOUT", "0 would close every WebSocket as soon as it opens") ?? defaults.WebSocketIdleTimeout,
            Limits = new HttpLimits
            {
                MaxRequestLineBytes = reader.Int("GATEWAY_MAX_REQUEST_LINE_BYTES", 64, 1 << 20) ?? limits.MaxRequestLineBytes,
                MaxRequestHeadersBytes = reader.Int("GATEWAY_MAX_REQUEST_HEADERS_BYTES", 256, 1 << 24) ?? limits.MaxRequestHeadersBytes,
                MaxRequestHeaderCount = reader.Int("GATEWAY_MAX_REQUEST_HEADER_COUNT", 1, 10_000) ?? limits.MaxRequestHeaderCount,
                MaxRequestBodyBytes = reader.Long("GATEWAY_MAX_REQUEST_BODY_BYTES") ?? limits.MaxRequestBodyBytes,
                RequestHeadersTimeout = reader.PositiveDuration("GATEWAY_REQUEST_HEADERS_TIMEOUT", "0 would cut every connection (and TLS handshake) that has not sent a whole head within the same second") ?? limits.RequestHeadersTimeout,
                KeepAliveTimeout = reader.PositiveDuration("GATEWAY_KEEPALIVE_TIMEOUT", "0 would close each kept-alive connection just as its client may send the next request on it") ?? limits.KeepAliveTimeout,
                MinRequestBodyRate = reader.Int("GATEWAY_MIN_REQUEST_BODY_RATE", 0, int.MaxValue) ?? limits.MinRequestBodyRate,
                MinRequestBodyRateGrace = reader.Duration("GATEWAY_MIN_REQUEST_BODY_RATE_GRACE") ?? limits.MinRequestBodyRateGrace,
            },
            UpstreamDefaults = new UpstreamSettings
            {
                Timeout = reader.PositiveDuration("GATEWAY_UPSTREAM_TIMEOUT", "0 would answer every forwarded request 504") ?? upstream.Timeout,
                ConnectTimeout = reader.PositiveDuration("GATEWAY_UPSTREAM_CONNECT_TIMEOUT", "0 would fail every upstream connection") ?? upstream.ConnectTimeout,
                MaxConnectionsPerDestination = reader.Int("GATEWAY_UPSTREAM_MAX_CONNECTIONS", 1, int.MaxValue) ?? upstream.MaxConnectionsPerDestination,
                PooledConnectionIdleTimeout = reader.Duration("GATEWAY_UPSTREAM_IDLE_TIMEOUT") ?? upstream.PooledConnectionIdleTimeout,
                Transport = transportKind ?? upstream.Transport,
            },
            Transport = new TransportSettings
            {
                Kind = transportKind ?? transport.Kind,
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
                LogFormat = LogFormatFrom(get),
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

    private static TransportKind? TransportKindFrom(EnvironmentReader reader) => reader.Text("GATEWAY_TRANSPORT")?.ToLowerInvariant() switch
    {
        null => null,
        "epoll" when OperatingSystem.IsLinux() => TransportKind.Epoll,
        "epoll" => throw new ConfigException("environment", "GATEWAY_TRANSPORT", "epoll needs Linux; use sockets"),
        "sockets" => TransportKind.Sockets,
        var other => throw new ConfigException("environment", "GATEWAY_TRANSPORT", $"expected epoll or sockets, got \"{other}\""),
    };

    /// <summary>
    /// The format of the gateway's own messages (GATEWAY_LOG_FORMAT: <c>text</c> or <c>json</c>), read on its own so that
    /// the process can write even the refusal of another variable in it; throws <see cref="ConfigException"/> on another value.
    /// </summary>
    public static GatewayLogFormat LogFormatFrom(Func<string, string?> get) => new EnvironmentReader(get).Text("GATEWAY_LOG_FORMAT")?.ToLowerInvariant() switch
    {
        null or "text" => GatewayLogFormat.Text,
        "json" => GatewayLogFormat.Json,
        var other => throw new ConfigException("environment", "GATEWAY_LOG_FORMAT", $"expected text or json, got \"{other}\""),
    };

    /// <summary>Typed reads of environment variables that fail with the variable's name.</summary>
    private readonly struct EnvironmentReader(Func<string, string?> get)
    {
        public string? Text(string name) => string.IsNullOrWhiteSpace(get(name)) ? null : get(name)!.Trim();

        /// <summary>True when the variable is set, even to an empty value.</summary>
        public bool IsSet(string name) => get(name) is not null;

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

        /// <summary>A duration that must be above zero, <paramref name="why"/> saying what 0 would do.</summary>
        public TimeSpan? PositiveDuration(string name, string why)
        {
            var value = Duration(name);
            return value <= TimeSpan.Zero ? throw new ConfigException("environment", name, $"must be greater than zero: {why}") : value;
        }

        public TimeSpan? Duration(string name)
        {
            var text = Text(name);
            if (text is null)
            {
                return null;
            }

            return Configuration.Duration.TryParseWait(text, out var value, out var reason)
                ? value
                : throw new ConfigException("environment", name, $"{reason}, got \"{text}\"");
        }
    }
}
