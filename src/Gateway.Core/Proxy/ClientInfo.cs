namespace Gateway.Core.Proxy;

/// <summary>Facts about the client connection that forwarding headers report upstream.</summary>
public sealed record ClientInfo(string RemoteAddress, string Scheme);
