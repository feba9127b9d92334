using Gateway.Core.Pipeline;

namespace Gateway.Core.Authentication;

/// <summary>One way a route authenticates its callers (an "authentication" entry compiled); disposed with its snapshot.</summary>
public interface IAuthenticator : IDisposable
{
    /// <summary>What a 401 says the caller should send, e.g. "an API key in the X-Api-Key header".</summary>
    string Expected { get; }

    /// <summary>The query parameter that carries the credential, when it travels there (taken out of the query first); null otherwise.</summary>
    byte[]? QueryParameter { get; }

    /// <summary>The consumer the request's credential names (its claims put in the context), or null when it has none or a wrong one.</summary>
    ValueTask<string?> AuthenticateAsync(RequestContext context);

    /// <summary>Adds the fields a 401 carries for this scheme (WWW-Authenticate); false when it has none.</summary>
    bool Challenge(RequestContext context);
}
