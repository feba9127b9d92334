namespace Gateway.Host.Demo;

/// <summary>The demo's start-up banner: what is running and curl commands that work against it.</summary>
internal static class DemoBanner
{
    /// <summary>The name of the demo's frontend for mobile clients, served on a listener of its own.</summary>
    public const string Mobile = "mobile";

    /// <summary>
    /// The banner text for a gateway listening at <paramref name="gateway"/>, with the mobile frontend's listener at
    /// <paramref name="mobile"/> and its admin at <paramref name="admin"/>.
    /// </summary>
    public static string Text(string gateway, string? mobile, string? admin) => $$"""

        Gateway demo is running: sample services users, orders, products (two replicas) and inventory (two replicas, one
        answering every other request with 503; its third destination, 127.0.0.1:5107, is down) on 127.0.0.1:5101-5106, and an
        identity provider minting demo tokens on 127.0.0.1:5108.
          public  {{gateway}}
          mobile  {{mobile ?? "(off)"}}   (the "mobile" frontend: routes of its own on a listener of its own)
          admin   {{admin ?? "(off)"}}

        Try:
          curl -i {{gateway}}/users                                   # route /users -> users service
          curl -i -X OPTIONS {{gateway}}/users -H 'Origin: http://localhost:3000' -H 'Access-Control-Request-Method: GET'   # CORS preflight answered by the gateway
          curl -i {{gateway}}/users/1                                 # path parameter {id}; X-Frame-Options set and Server removed by a transform
          curl -i -X POST {{gateway}}/users -H 'Content-Type: application/json' -d '{"name":"Grace","email":"grace@example.com"}'
          curl -i -X DELETE {{gateway}}/users/2                       # method sets: GET, PUT, DELETE on /users/{id}
          curl -i {{gateway}}/orders/7                                # rewritten upstream to /v1/orders/7
          curl -i {{gateway}}/v0/orders/7                             # direct response: 308 to /orders/7, no upstream called
          curl -i -H 'X-Api-Key: demo-key' {{gateway}}/partner/orders/7   # API key: consumer demo-partner (without the key: 401)
          TOKEN=$(curl -s 'http://127.0.0.1:5108/token?sub=alice'); curl -i -H "Authorization: Bearer $TOKEN" {{gateway}}/me/orders/7   # JWT from the demo identity provider
          curl -i -N -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' {{gateway}}/ws/echo   # 101: a WebSocket tunnel to an echo service (any WebSocket client can talk to ws://.../ws/echo)
          curl -i {{gateway}}/status                                  # direct response with a JSON body
          curl -i {{gateway}}/internal/status                         # 403: its ipFilter allows only 10.0.0.0/8
          curl -i {{gateway}}/api/products/1                          # /api prefix stripped; PowerOfTwoChoices over two replicas
          curl -si {{gateway}}/api/products/2 | grep -iE '^(x-cache|age)'; curl -si {{gateway}}/api/products/2 | grep -iE '^(x-cache|age)'   # cached 30 s: X-Cache MISS, then HIT with its Age
          curl -s -X DELETE '{{admin ?? gateway}}/cache?prefix=/api/products/'   # purge the cached products: {"purged":1}
          for i in 1 2 3 4 5 6; do curl -s -o /dev/null -w '%{http_code} ' {{gateway}}/api/products; done; echo   # 5 per 10 s, then 429
          for i in 1 2 3 4 5 6; do curl -s -o /dev/null -w '%{http_code} ' {{gateway}}/inventory/7; done; echo   # all 200: failed tries go to another replica
          curl -s {{admin ?? gateway}}/clusters                       # inventory: the flaky replica's failures, 5107 unhealthy (health checks)
          curl -i -X POST {{gateway}}/inventory/7/reservations -H 'Idempotency-Key: r-7'   # a POST is retried only with Idempotency-Key
          for i in 1 2 3 4; do curl -s -o /dev/null -w '%{http_code} ' -X POST {{gateway}}/inventory/7/reservations; done; echo   # without it, sent once: a 503 shows
          curl -i -H 'Host: admin.localhost' {{gateway}}/users/1      # host-restricted route
          curl -i {{mobile}}/profile/1                               # mobile frontend: the users service under another path, rewritten to /users/1
          curl -i {{mobile}}/users/1                                 # 404: the web routes are not served on the mobile listener
          curl -i {{mobile}}/app/config                              # mobile frontend: a direct response for the app
          curl -i {{mobile}}/dashboard/1                             # aggregate: the user, their order and its stock in one answer (stock waits for the order's id; when the flaky replica fails it is left out and listed in "errors")
          curl -i {{gateway}}/nowhere                                 # 404 as application/problem+json
          curl -i -X PATCH {{gateway}}/users/1                        # 405 with Allow
          curl -i {{admin ?? gateway}}/healthz
          curl -s {{admin ?? gateway}}/metrics | grep gateway_requests_total
          curl -s {{admin ?? gateway}}/metrics | grep gateway_upstream_retries   # retries made, and refused by the retry budget
          curl -s {{admin ?? gateway}}/config                         # running configuration: version, last reload
          curl -s -X POST {{admin ?? gateway}}/config/reload          # reload gateway.json now (also on a change of the file, or SIGHUP)
          curl -s {{admin ?? gateway}}/openapi.json                   # the OpenAPI 3.1 document of these routes; {{admin ?? gateway}}/docs in a browser shows it, /diagram as Mermaid

        Ctrl-C stops (in-flight requests finish first).

        """;
}
