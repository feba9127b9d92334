namespace Gateway.Core.Configuration;

/// <summary>The rules of the <c>tls</c> section: certificates with both files, each name served by one certificate, one default at most, a sound HSTS.</summary>
internal static class TlsConfigValidator
{
    /// <summary>The shortest HSTS max-age the browsers' preload lists accept: a year.</summary>
    private static readonly TimeSpan PreloadMaxAge = TimeSpan.FromDays(365);

    /// <summary>Every broken rule of <paramref name="tls"/> at <paramref name="at"/>, when there is a <c>tls</c> section.</summary>
    public static IEnumerable<(string Path, string Reason)> Errors(TlsConfig? tls, string at)
    {
        if (tls is null)
        {
            yield break;
        }

        if (tls.Certificates.Count == 0)
        {
            yield return ($"{at}.certificates", "name at least one certificate, or leave \"tls\" out");
        }

        var servedBy = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var defaults = 0;
        for (var i = 0; i < tls.Certificates.Count; i++)
        {
            var certificate = tls.Certificates[i];
            var path = $"{at}.certificates[{i}]";
            if (certificate is null)
            {
                yield return (path, "expected a certificate such as { \"cert\": \"certs/api.pem\", \"key\": \"certs/api.key\" }");
                continue;
            }

            foreach (var (name, file) in new[] { ("cert", certificate.Cert), ("key", certificate.Key) })
            {
                if (string.IsNullOrWhiteSpace(file))
                {
                    yield return ($"{path}.{name}", $"name the PEM {(name == "cert" ? "certificate" : "private key")} file");
                }
            }

            if (certificate.Hosts.Count == 0 && ++defaults == 2)
            {
                yield return ($"{path}.hosts", "only one certificate can be the default (without \"hosts\")");
            }

            for (var j = 0; j < certificate.Hosts.Count; j++)
            {
                var host = certificate.Hosts[j];
                if (ConfigValidator.HostProblem(host) is { } problem)
                {
                    yield return ($"{path}.hosts[{j}]", problem);
                }
                else if (!servedBy.TryAdd(host, i))
                {
                    yield return ($"{path}.hosts[{j}]", $"\"{host}\" is already served by certificates[{servedBy[host]}]");
                }
            }
        }

        foreach (var error in HstsErrors(tls.Hsts, $"{at}.hsts"))
        {
            yield return error;
        }
    }

    private static IEnumerable<(string Path, string Reason)> HstsErrors(HstsConfig? hsts, string at)
    {
        if (hsts is null)
        {
            yield break;
        }

        if (!Duration.TryParse(hsts.MaxAge, out var maxAge, out var reason))
        {
            yield return ($"{at}.maxAge", $"{reason}, got \"{hsts.MaxAge}\"");
        }
        else if (hsts.Preload && (!hsts.IncludeSubDomains || maxAge < PreloadMaxAge))
        {
            yield return ($"{at}.preload", "preload needs \"includeSubDomains\": true and a maxAge of a year (\"8760h\") or more");
        }
    }
}
