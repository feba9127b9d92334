using Gateway.Core.Configuration;

namespace Gateway.Core.Docs;

/// <summary>The steps a route's configuration asks for, in the order they run, each with the names it refers to: <c>cors(site)</c>, <c>authentication(keys|jwt)</c>.</summary>
public static class RouteSteps
{
    /// <summary>The steps of <paramref name="policies"/>: ipFilter, cors, authentication, authorization, rateLimit (those configured).</summary>
    public static IEnumerable<string> Of(RoutePoliciesConfig? policies)
    {
        if (policies is null)
        {
            yield break;
        }

        if (policies.IpFilter is not null)
        {
            yield return "ipFilter";
        }

        if (policies.Cors is { } cors)
        {
            yield return $"cors({cors})";
        }

        if (policies.Authentication.Count > 0)
        {
            yield return $"authentication({string.Join('|', policies.Authentication)})";
        }

        if (policies.Authorization is not null)
        {
            yield return "authorization";
        }

        if (policies.RateLimit.Count > 0)
        {
            yield return $"rateLimit({string.Join(',', policies.RateLimit)})";
        }
    }
}
