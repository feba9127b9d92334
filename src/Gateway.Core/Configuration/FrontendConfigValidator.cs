using System.Buffers;

namespace Gateway.Core.Configuration;

/// <summary>
/// The rules of the <c>frontends</c> section and of the routes that name one: a frontend has a sound name and listeners,
/// hosts or both; a listener serves one frontend and a host belongs to one; a route names a defined frontend.
/// </summary>
/// <remarks>A frontend listener that takes a port of the default listeners depends on GATEWAY_LISTEN: <see cref="GatewaySettings.CheckListeners"/> refuses it.</remarks>
internal static class FrontendConfigValidator
{
    /// <summary>The characters of a frontend name.</summary>
    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("-_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>Every broken rule of <paramref name="frontends"/> (the <c>frontends</c> section), in file order.</summary>
    public static IEnumerable<(string Path, string Reason)> Errors(Dictionary<string, FrontendConfig> frontends)
    {
        var listeners = new List<(ListenAddress Address, string Url, string Frontend)>();
        var hostOwners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, frontend) in frontends)
        {
            var at = ConfigJson.Member("$.frontends", name);
            if (name.Length == 0 || name.AsSpan().ContainsAnyExcept(NameChars))
            {
                yield return (at, $"frontend name \"{name}\" must be letters, digits, '-' and '_'");
            }

            if (frontend is null)
            {
                yield return (at, "expected a frontend such as { \"listen\": [\"http://0.0.0.0:8081\"], \"hosts\": [\"m.api.example.com\"] }, got null");
                continue;
            }

            if (frontend.Listen.Count == 0 && frontend.Hosts.Count == 0)
            {
                yield return (at, "a frontend needs \"listen\" (listeners of its own), \"hosts\" (served on the default listeners), or both");
            }

            for (var i = 0; i < frontend.Listen.Count; i++)
            {
                var url = frontend.Listen[i];
                if (!ListenAddress.TryParse(url, out var address, out var problem))
                {
                    yield return ($"{at}.listen[{i}]", problem);
                    continue;
                }

                var taken = listeners.FindIndex(other => other.Address.Overlaps(address));
                if (taken >= 0)
                {
                    var (_, otherUrl, owner) = listeners[taken];
                    yield return ($"{at}.listen[{i}]", $"\"{url}\" binds the port of \"{otherUrl}\", a listener of frontend \"{owner}\"; a listener serves one frontend");
                }

                listeners.Add((address, url, name));
            }

            for (var i = 0; i < frontend.Hosts.Count; i++)
            {
                var host = frontend.Hosts[i];
                if (ConfigValidator.HostProblem(host) is { } problem)
                {
                    yield return ($"{at}.hosts[{i}]", problem);
                }
                else if (!hostOwners.TryAdd(host, name))
                {
                    yield return ($"{at}.hosts[{i}]", $"host \"{host}\" already belongs to frontend \"{hostOwners[host]}\"; a host belongs to one frontend");
                }
            }
        }
    }

    /// <summary>What is wrong with the frontend <paramref name="route"/> (at <paramref name="at"/>) names: it must be one of <paramref name="frontends"/>.</summary>
    public static IEnumerable<(string Path, string Reason)> RouteErrors(RouteConfig? route, string at, Dictionary<string, FrontendConfig> frontends)
    {
        if (route?.Frontend is { } name && !frontends.ContainsKey(name))
        {
            var defined = frontends.Count == 0 ? "no frontends are defined" : $"defined frontends: {ConfigJson.Quoted(frontends.Keys)}";
            yield return (at + ".frontend", $"unknown frontend \"{name}\"; {defined} (a route without \"frontend\" belongs to the default one)");
        }
    }
}
