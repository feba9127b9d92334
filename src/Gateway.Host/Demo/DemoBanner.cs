namespace Gateway.Host.Demo;

/// <summary>The demo's start-up banner: what is running and curl commands that work against it.</summary>
internal static class DemoBanner
{
    /// <summary>The banner text for a gateway listening at <paramref name="gateway"/> with its admin at <paramref name="admin"/>.</summary>
    public static string Text(string gateway, string? admin) => $$"""

        Gateway demo is running: sample services users, orders and products (two replicas) on 127.0.0.1:5101-5104.
          public  {{gateway}}
          admin   {{admin ?? "(off)"}}

        Try:
          curl -i {{gateway}}/users                                   # route /users -> users service
          curl -i {{gateway}}/users/1                                 # path parameter {id}; X-Frame-Options set and Server removed by a transform
          curl -i -X POST {{gateway}}/users -H 'Content-Type: application/json' -d '{"name":"Grace","email":"grace@example.com"}'
          curl -i -X DELETE {{gateway}}/users/2                       # method sets: GET, PUT, DELETE on /users/{id}
          curl -i {{gateway}}/orders/7                                # rewritten upstream to /v1/orders/7
          curl -i {{gateway}}/v0/orders/7                             # direct response: 308 to /orders/7, no upstream called
          curl -i {{gateway}}/status                                  # direct response with a JSON body
          curl -i {{gateway}}/api/products/1                          # /api prefix stripped; PowerOfTwoChoices over two replicas
          for i in 1 2 3 4 5 6; do curl -s -o /dev/null -w '%{http_code} ' {{gateway}}/api/products; done; echo   # 5 per 10 s, then 429
          curl -i -H 'Host: admin.localhost' {{gateway}}/users/1      # host-restricted route
          curl -i {{gateway}}/nowhere                                 # 404 as application/problem+json
          curl -i -X PATCH {{gateway}}/users/1                        # 405 with Allow
          curl -i {{admin ?? gateway}}/healthz
          curl -s {{admin ?? gateway}}/metrics | grep gateway_requests_total
          curl -s {{admin ?? gateway}}/config                         # running configuration: version, last reload
          curl -s -X POST {{admin ?? gateway}}/config/reload          # reload gateway.json now (also on a change of the file, or SIGHUP)

        Ctrl-C stops (in-flight requests finish first).

        """;
}
