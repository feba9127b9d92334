using Gateway.Core.Pipeline;

namespace Gateway.Core.Authentication;

/// <summary>One way a route authenticates its callers (an "authentication" entry compiled).</summary>
public interface IAuthenticator
{
    /// <summary>What a 401 says the caller should send, e.g. "an API key in X-Api-Key".</summary>
    string Expected { get; }

    /// <summary>Takes the credential out of what is forwarded and logged, when it travels where neither may see it (a query parameter).</summary>
    void Scrub(RequestContext context);

    /// <summary>The consumer the request's credential names, or null when it has none or a wrong one.</summary>
    string? Authenticate(RequestContext context);
}
