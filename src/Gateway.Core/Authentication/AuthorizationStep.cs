using System.Security.Claims;
using Gateway.Core.Configuration;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Authentication;

/// <summary>
/// A route's authorization, after authentication: the caller's claims must carry every required scope (<c>scope</c> or
/// <c>scp</c>, a list or a space-separated string), at least one of the roles (<c>roles</c> or <c>role</c>), and for each listed claim one
/// of its allowed values; otherwise 403. A caller without claims (an API key) holds none of them.
/// </summary>
public sealed class AuthorizationStep(AuthorizationConfig config) : RouteStep
{
    private readonly string[] _scopes = [.. config.Scopes];
    private readonly string[] _roles = [.. config.Roles];
    private readonly (string Name, string[] Values)[] _claims = [.. config.Claims.Select(claim => (claim.Key, claim.Value.ToArray()))];

    /// <inheritdoc/>
    public override StepStage Stage => StepStage.Authorization;

    /// <inheritdoc/>
    public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context)
    {
        var claims = context.Claims;
        var missing = _scopes.FirstOrDefault(scope => !HasScope(claims, scope)) is { } scope ? $"scope \"{scope}\""
            : _roles.Length > 0 && !_roles.Any(role => Has(claims, "roles", role) || Has(claims, "role", role)) ? "one of the roles this route requires"
            : _claims.FirstOrDefault(claim => !claim.Values.Any(value => Has(claims, claim.Name, value))) is { Name: { } name } ? $"an allowed value of claim \"{name}\""
            : null;
        return new ValueTask<StepOutcome>(missing is null ? StepOutcome.Continue : StepOutcome.Problem(403, $"The caller lacks {missing}."));
    }

    /// <summary>True when <c>scope</c> or <c>scp</c> (each a list, or one space-separated string) holds <paramref name="scope"/>.</summary>
    private static bool HasScope(ClaimsIdentity? claims, string scope) =>
        claims is not null && claims.Claims.Any(claim => claim.Type is "scope" or "scp" && claim.Value.Split(' ').Contains(scope, StringComparer.Ordinal));

    private static bool Has(ClaimsIdentity? claims, string type, string value) =>
        claims is not null && claims.FindAll(type).Any(claim => claim.Value == value);
}
