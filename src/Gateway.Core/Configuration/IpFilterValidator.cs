using System.Net;

namespace Gateway.Core.Configuration;

/// <summary>The rules of an <c>ipFilter</c>: at least one network, and every entry a CIDR network or an address.</summary>
internal static class IpFilterValidator
{
    /// <summary>Every broken rule of the filter at <paramref name="at"/>, when there is one.</summary>
    public static IEnumerable<(string Path, string Reason)> Errors(IpFilterConfig? filter, string at)
    {
        if (filter is null)
        {
            yield break;
        }

        if (filter.Allow.Count == 0 && filter.Deny.Count == 0)
        {
            yield return (at, "name the networks to \"allow\" or \"deny\", or leave \"ipFilter\" out");
        }

        foreach (var (list, name) in new[] { (filter.Allow, "allow"), (filter.Deny, "deny") })
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (!TryParseNetwork(list[i], out _))
                {
                    yield return ($"{at}.{name}[{i}]", $"expected a CIDR network such as \"10.0.0.0/8\" or \"2001:db8::/32\" (no address bits past the prefix; IPv4 written as IPv4), or an address, got \"{list[i]}\"");
                }
            }
        }
    }

    /// <summary>Reads a network (<c>10.0.0.0/8</c>, with no bits set past the prefix) or a single address (<c>10.0.0.7</c>, <c>::1</c>; no IPv6 zone).</summary>
    public static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrEmpty(text) || text.Trim() != text || text.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        if (text.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0)
        {
            // An address with bits past the prefix (10.0.0.1/8) is most likely a typo, so it is refused rather than masked.
            // An IPv4-mapped network (::ffff:10.0.0.0/104) would never match: clients are matched as IPv4.
            return IPNetwork.TryParse(text, out network) && network.BaseAddress.Equals(IPAddress.Parse(text[..slash])) && !network.BaseAddress.IsIPv4MappedToIPv6;
        }

        if (!IPAddress.TryParse(text, out var address) || address.IsIPv4MappedToIPv6)
        {
            return false;
        }

        network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }
}
