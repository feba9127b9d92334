using Gateway.Core.Authentication;

namespace Gateway.Core.Snapshots;

/// <summary>An authentication entry compiled, with the definition it was compiled from (a reload keeps it while that stays the same).</summary>
/// <param name="Definition">The entry as canonical JSON.</param>
/// <param name="Authenticator">What checks requests against it.</param>
public sealed record CompiledAuthentication(string Definition, IAuthenticator Authenticator);
