namespace Gateway.Core.Configuration;

/// <summary>A direct response: the route answers with it itself, e.g. a 308 to the new home of a moved API.</summary>
public sealed record RespondConfig
{
    /// <summary>The status code, 200 to 599.</summary>
    public int Status { get; set; }

    /// <summary>Fields of the response by name; values may use the route's parameters in braces (<c>/v1/{rest}</c>).</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>The body, sent as UTF-8; null sends none.</summary>
    public string? Body { get; set; }

    /// <summary>The body's Content-Type; null sends none.</summary>
    public string? ContentType { get; set; }
}
