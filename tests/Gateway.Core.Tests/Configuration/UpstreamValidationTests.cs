using Gateway.Core.Configuration;

namespace Gateway.Core.Tests.Configuration;

/// <summary>The rules of the upstream-resilience settings: each broken one is reported at the JSON path of the offending value, saying what is wrong.</summary>
public sealed class UpstreamValidationTests
{
    [Theory]
    [InlineData("""{ "destinations": [{ "url": "http://h:1", "weight": 0 }] }""", "destinations[0].weight", "weight must be between 1 and 1000, got 0")]
    [InlineData("""{ "destinations": ["http://h:1", { "url": "http://h:2", "weight": 1001 }] }""", "destinations[1].weight", "weight must be between 1 and 1000, got 1001")]
    [InlineData("""{ "destinations": ["http://h:1", "http://h:2", { "url": "http://h:1/", "weight": 2 }] }""", "destinations[2]", "\"http://h:1/\" is listed twice (also at destinations[0]); give it a weight instead")]
    [InlineData("""{ "destinations": [{ "url": "ftp://h:1", "weight": 2 }] }""", "destinations[0]", "\"ftp://h:1\" is not an absolute http:// or https:// URL")]
    [InlineData("""{ "destinations": ["http://h:1"], "loadBalancing": { "policy": "ConsistentHash" } }""", "loadBalancing.key", "ConsistentHash needs \"key\": \"Header\", \"Cookie\" or \"ClientIp\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "loadBalancing": "ConsistentHash" }""", "loadBalancing.key", "ConsistentHash needs \"key\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "loadBalancing": { "policy": "ConsistentHash", "key": "Header" } }""", "loadBalancing.header", "a hash keyed by Header needs \"header\": the header field name (and no \"cookie\")")]
    [InlineData("""{ "destinations": ["http://h:1"], "loadBalancing": { "policy": "ConsistentHash", "key": "Header", "header": "X User" } }""", "loadBalancing.header", "a hash keyed by Header needs \"header\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "loadBalancing": { "policy": "ConsistentHash", "key": "Header", "header": "X-User", "cookie": "s" } }""", "loadBalancing.header", "(and no \"cookie\")")]
    [InlineData("""{ "destinations": ["http://h:1"], "loadBalancing": { "policy": "ConsistentHash", "key": "Cookie" } }""", "loadBalancing.cookie", "a hash keyed by Cookie needs \"cookie\": the cookie's name (and no \"header\")")]
    [InlineData("""{ "destinations": ["http://h:1"], "loadBalancing": { "policy": "ConsistentHash", "key": "ClientIp", "header": "X-User" } }""", "loadBalancing", "a hash keyed by ClientIp takes neither \"header\" nor \"cookie\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "loadBalancing": { "policy": "RoundRobin", "header": "X-User" } }""", "loadBalancing", "\"key\", \"header\" and \"cookie\" apply to \"policy\": \"ConsistentHash\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "loadBalancing": { "key": "ClientIp" } }""", "loadBalancing", "apply to \"policy\": \"ConsistentHash\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "active": { "path": "healthz" } } }""", "health.active.path", "path \"healthz\" must start with '/' and hold no spaces, controls or '#'")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "active": {} } }""", "health.active.path", "path \"\" must start with '/'")]
    [InlineData("""{ "destinations": ["http://h:1"], "openapi": "openapi.json" }""", "openapi", "path \"openapi.json\" must start with '/' and hold no spaces, controls or '#'")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "active": { "path": "/health z" } } }""", "health.active.path", "must start with '/' and hold no spaces")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "active": { "path": "/h", "healthyAfter": 0 } } }""", "health.active.healthyAfter", "healthyAfter must be at least 1, got 0")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "active": { "path": "/h", "unhealthyAfter": 0 } } }""", "health.active.unhealthyAfter", "unhealthyAfter must be at least 1, got 0")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "active": { "path": "/h", "expectedStatus": "399-200" } } }""", "health.active.expectedStatus", "expected a status or a range such as \"200-399\", got \"399-200\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "active": { "path": "/h", "expectedStatus": "abc" } } }""", "health.active.expectedStatus", "expected a status or a range such as \"200-399\", got \"abc\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "active": { "path": "/h", "expectedStatus": "200-600" } } }""", "health.active.expectedStatus", "got \"200-600\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "active": { "path": "/h", "interval": "0s" } } }""", "health.active.interval", "\"0s\" must be greater than zero")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "active": { "path": "/h", "timeout": "soon" } } }""", "health.active.timeout", "expected a duration such as \"250ms\", \"30s\", \"5m\" or \"1h\", got \"soon\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "passive": { "consecutiveFailures": -1 } } }""", "health.passive.consecutiveFailures", "consecutiveFailures must be 0 (off) or more, got -1")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "passive": { "failurePercent": 101 } } }""", "health.passive.failurePercent", "failurePercent must be between 0 (off) and 100, got 101")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "passive": { "minRequests": 0 } } }""", "health.passive.minRequests", "minRequests must be at least 1, got 0")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "passive": { "maxEjectedPercent": 0 } } }""", "health.passive.maxEjectedPercent", "maxEjectedPercent must be between 1 and 100, got 0")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "passive": { "maxEjectedPercent": 101 } } }""", "health.passive.maxEjectedPercent", "maxEjectedPercent must be between 1 and 100, got 101")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "passive": { "failureStatuses": [503, 200] } } }""", "health.passive.failureStatuses[1]", "expected a status from 400 to 599, got 200")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "passive": { "window": "0" } } }""", "health.passive.window", "\"0\" must be greater than zero")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "passive": { "ejectionTime": "1d" } } }""", "health.passive.ejectionTime", "expected a duration such as \"250ms\", \"30s\", \"5m\" or \"1h\", got \"1d\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "limits": { "maxPendingRequests": -1 } }""", "limits.maxPendingRequests", "maxPendingRequests must be 0 or more, got -1")]
    [InlineData("""{ "destinations": ["http://h:1"], "limits": { "maxRequests": -1 } }""", "limits.maxRequests", "maxRequests must be 0 (no cap) or more, got -1")]
    [InlineData("""{ "destinations": ["http://h:1"], "retryBudget": { "percent": 101 } }""", "retryBudget.percent", "percent must be between 0 and 100, got 101")]
    [InlineData("""{ "destinations": ["http://h:1"], "retryBudget": { "minConcurrency": -1 } }""", "retryBudget.minConcurrency", "minConcurrency must be 0 or more, got -1")]
    [InlineData("""{ "destinations": ["http://h:1"], "connections": { "max": 0 } }""", "connections.max", "max must be at least 1, got 0")]
    [InlineData("""{ "destinations": ["http://h:1"], "connections": { "idleTimeout": "0s" } }""", "connections.idleTimeout", "\"0s\" must be greater than zero")]
    [InlineData("""{ "destinations": ["http://h:1"], "connections": { "lifetime": "forever" } }""", "connections.lifetime", "expected a duration such as \"250ms\", \"30s\", \"5m\" or \"1h\", got \"forever\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "tls": { "clientCert": "gw.pem" } }""", "tls.clientKey", "a client certificate needs both \"clientCert\" and \"clientKey\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "tls": { "clientKey": "gw.key" } }""", "tls.clientCert", "a client certificate needs both \"clientCert\" and \"clientKey\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "tls": { "sni": "*.x" } }""", "tls.sni", "\"*.x\" is not a host name such as \"orders.internal\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "tls": { "sni": "orders.internal:443" } }""", "tls.sni", "\"orders.internal:443\" is not a host name")]
    [InlineData("""{ "destinations": ["http://h:1"], "tls": { "ca": "" } }""", "tls.ca", "expected a file path, got an empty string")]
    [InlineData("""{ "destinations": ["http://h:1"], "protocol": "http2" }""", "protocol", "protocol must be \"http1\", \"h2c\" or \"h2\", got \"http2\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "protocol": "H2C" }""", "protocol", "got \"H2C\"")]
    [InlineData("""{ "destinations": ["http://h:1", "https://h:2"], "protocol": "h2c" }""", "destinations[1]", "a cluster with protocol \"h2c\" needs http:// destinations, got \"https://h:2\"")]
    [InlineData("""{ "destinations": ["http://h:1"], "protocol": "h2" }""", "destinations[0]", "a cluster with protocol \"h2\" needs https:// destinations, got \"http://h:1\"")]
    [InlineData("""{ "destinations": ["https://h:1"], "protocol": "h2", "tls": { "sni": "orders.internal" } }""", "tls.sni", "sni is not supported with protocol \"h2\"")]
    public void ClusterRuleIsEnforced(string cluster, string path, string reason) =>
        ConfigAssert.ParseFails(Config(cluster), "$.clusters.c." + path, reason);

    [Theory]
    [InlineData("""{ "destinations": [{ "url": "http://h:1", "weight": 1 }, { "url": "http://h:2", "weight": 1000 }, "http://h:1/base"] }""")]
    [InlineData("""{ "destinations": ["http://h:1"], "loadBalancing": { "policy": "ConsistentHash", "key": "Cookie", "cookie": "session" } }""")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "active": { "path": "/", "expectedStatus": "200", "healthyAfter": 1, "unhealthyAfter": 1 } } }""")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "active": { "path": "/ready?full=1", "expectedStatus": "100-599" } } }""")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "passive": { "consecutiveFailures": 0, "failurePercent": 100, "maxEjectedPercent": 100, "failureStatuses": [400, 599] } } }""")]
    [InlineData("""{ "destinations": ["http://h:1"], "health": { "passive": { "failureStatuses": [] } } }""")]
    [InlineData("""{ "destinations": ["http://h:1"], "limits": { "maxPendingRequests": 0, "maxRequests": 0 }, "retryBudget": { "percent": 0, "minConcurrency": 0 } }""")]
    [InlineData("""{ "destinations": ["http://h:1"], "retryBudget": { "percent": 100 }, "connections": { "max": 1, "idleTimeout": "250ms", "lifetime": "1h" } }""")]
    [InlineData("""{ "destinations": ["https://h:1"], "tls": { "ca": "ca.pem", "sni": "10.0.0.8" } }""")]
    [InlineData("""{ "destinations": ["http://h:1"], "protocol": "http1" }""")]
    [InlineData("""{ "destinations": ["http://h:1", "http://h:2"], "protocol": "h2c", "connections": { "max": 2 } }""")]
    [InlineData("""{ "destinations": ["https://h:1"], "protocol": "h2", "tls": { "ca": "ca.pem" } }""")]
    public void ValidClusterValuesPass(string cluster) => Assert.Single(ConfigLoader.Parse(Config(cluster), "test.json").Clusters);

    [Theory]
    [InlineData(""" "timeout": "0s" """, "$.routes[0].timeout", "\"0s\" must be greater than zero")]
    [InlineData(""" "timeout": "soon" """, "$.routes[0].timeout", "expected a duration such as \"250ms\", \"30s\", \"5m\" or \"1h\", got \"soon\"")]
    [InlineData(""" "retry": { "attempts": 1 } """, "$.routes[0].retry.attempts", "attempts counts every try, the first included: between 2 and 10, got 1")]
    [InlineData(""" "retry": { "attempts": 11 } """, "$.routes[0].retry.attempts", "between 2 and 10, got 11")]
    [InlineData(""" "retry": { "on": ["connect", "sometimes"] } """, "$.routes[0].retry.on[1]", "expected \"connect\", \"reset\", \"timeout\" or a status from 400 to 599, got \"sometimes\"")]
    [InlineData(""" "retry": { "on": ["200"] } """, "$.routes[0].retry.on[0]", "got \"200\"")]
    [InlineData(""" "retry": { "on": ["Connect"] } """, "$.routes[0].retry.on[0]", "got \"Connect\"")]
    [InlineData(""" "retry": { "on": ["0503"] } """, "$.routes[0].retry.on[0]", "got \"0503\"")]
    [InlineData(""" "retry": { "maxBodyBytes": 2000000 } """, "$.routes[0].retry.maxBodyBytes", "maxBodyBytes must be between 0 and 1048576 (1 MiB), got 2000000")]
    [InlineData(""" "retry": { "maxBodyBytes": -1 } """, "$.routes[0].retry.maxBodyBytes", "got -1")]
    [InlineData(""" "retry": { "perTryTimeout": "0s" } """, "$.routes[0].retry.perTryTimeout", "\"0s\" must be greater than zero")]
    [InlineData(""" "retry": { "backoff": "-25ms" } """, "$.routes[0].retry.backoff", "expected a duration such as \"250ms\", \"30s\", \"5m\" or \"1h\", got \"-25ms\"")]
    [InlineData(""" "retry": { "backoff": "61m" } """, "$.routes[0].retry.backoff", "backoff must be at most 1h (a retry waits up to ten times as long), got \"61m\"")]
    [InlineData(""" "timeout": "1200h" """, "$.routes[0].timeout", "expected a duration of at most 1000h, got \"1200h\"")]
    public void RouteRuleIsEnforced(string settings, string path, string reason) =>
        ConfigAssert.ParseFails(Config("""{ "destinations": ["http://h:1"] }""", settings), path, reason);

    [Theory]
    [InlineData(""" "retry": {} """, "$.routes[0].retry")]
    [InlineData(""" "timeout": "10s" """, "$.routes[0].timeout")]
    [InlineData(""" "timeout": "10s", "retry": {} """, "$.routes[0].timeout")]
    public void ARouteThatRespondsHasNoTimeoutOrRetry(string settings, string path) =>
        ConfigAssert.ParseFails($$"""
            { "routes": [{ "id": "a", "match": { "path": "/" }, "respond": { "status": 200 }, {{settings}} }] }
            """, path, "timeouts and retries apply to forwarded requests; this route answers with \"respond\"");

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public void OnlyARouteThatForwardsSaysWhetherItUpgrades(string upgrade) =>
        ConfigAssert.ParseFails($$"""
            { "routes": [{ "id": "a", "match": { "path": "/" }, "respond": { "status": 200 }, "upgrade": {{upgrade}} }] }
            """, "$.routes[0].upgrade", "\"upgrade\" lets WebSockets through to a cluster; this route has no \"cluster\"");

    [Theory]
    [InlineData(""" "timeout": "10s", "retry": { "attempts": 2, "backoff": "0ms" } """)]
    [InlineData(""" "retry": { "attempts": 10, "backoff": "0", "perTryTimeout": "250ms" } """)]
    [InlineData(""" "retry": { "on": ["timeout", "429", "599"], "maxBodyBytes": 0 } """)]
    [InlineData(""" "retry": { "on": [], "maxBodyBytes": 1048576, "idempotencyKey": true } """)]
    public void ValidRouteValuesPass(string settings) =>
        Assert.Single(ConfigLoader.Parse(Config("""{ "destinations": ["http://h:1"] }""", settings), "test.json").Routes);

    private static string Config(string cluster, string route = "") => $$"""
        { "routes": [{ "id": "a", "match": { "path": "/" }, "cluster": "c"{{(route.Length > 0 ? ", " + route : "")}} }], "clusters": { "c": {{cluster}} } }
        """;
}
