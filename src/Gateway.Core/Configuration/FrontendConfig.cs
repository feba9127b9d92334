namespace Gateway.Core.Configuration;

/// <summary>
/// A named frontend (a backend for one kind of client): the listeners and hosts it is served on. Its routes name it in
/// <see cref="RouteConfig.Frontend"/> and are compiled into a route tree of their own.
/// </summary>
public sealed record FrontendConfig
{
    /// <summary>
    /// Listener URLs of its own, e.g. <c>http://0.0.0.0:8081</c>, bound at start (a reload cannot change them); empty serves the
    /// frontend on the default listeners, for its <see cref="Hosts"/> only.
    /// </summary>
    public List<string> Listen { get; set; } = [];

    /// <summary>
    /// The hosts it serves (<c>m.api.example.com</c> or <c>*.example.com</c>), each belonging to this frontend alone; empty
    /// serves any host on its own listeners.
    /// </summary>
    public List<string> Hosts { get; set; } = [];
}
