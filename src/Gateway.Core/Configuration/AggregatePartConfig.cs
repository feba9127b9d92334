namespace Gateway.Core.Configuration;

/// <summary>One part of an aggregate as written: the upstream call and what of its answer is kept.</summary>
public sealed record AggregatePartConfig
{
    /// <summary>The cluster the part calls.</summary>
    public string Cluster { get; set; } = "";

    /// <summary>The method of the call (no body is sent).</summary>
    public string Method { get; set; } = "GET";

    /// <summary>
    /// The upstream path and query: <c>{name}</c> is a route parameter, <c>{query.NAME}</c> a query parameter of the request,
    /// <c>{part.field.list[0].id}</c> a field of another part's answer; each value is percent-encoded as one segment or one query value.
    /// </summary>
    public string Path { get; set; } = "";

    /// <summary>When true, the answer goes without this part if it fails (listed in <c>errors</c>); else its failure fails the answer.</summary>
    public bool Optional { get; set; }

    /// <summary>The longest this part's call may take (e.g. "300ms"); null: the cluster's timeout.</summary>
    public string? Timeout { get; set; }

    /// <summary>The members of the part's JSON object kept; empty keeps all of it.</summary>
    public List<string> Fields { get; set; } = [];

    /// <summary>The request fields passed on to the call; null passes the identity fields and <c>Accept-Language</c>.</summary>
    public List<string>? Headers { get; set; }

    /// <summary>Retries of failed tries (as a route's, for idempotent methods); null retries nothing (a connect failure still fails over).</summary>
    public RetryConfig? Retry { get; set; }

    /// <summary>The largest answer the part takes, in bytes; a larger one fails the part.</summary>
    public int MaxBytes { get; set; } = 1 << 20;
}
