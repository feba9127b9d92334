using System.Net.Security;
using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Configuration;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Tls;

/// <summary>
/// The certificates of the <c>tls</c> section, chosen per handshake by the name the client asks for (SNI): an exact host,
/// then a <c>*.suffix</c> wildcard (one more label, as certificates match), then the default (the certificate without
/// hosts, else the first). The files are checked every <see cref="FileCheckInterval"/> and a changed pair is loaded and
/// served from the next handshake on, without a restart; connections already open keep theirs. A pair that does not load
/// leaves the last good certificate serving, and is logged.
/// </summary>
public sealed class ServerCertificates : IDisposable
{
    /// <summary>How often the certificate and key files are read again to see whether they changed.</summary>
    public static readonly TimeSpan FileCheckInterval = TimeSpan.FromSeconds(2);

    private readonly CertificateFiles[] _files;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _wildcard;
    private readonly int _default;
    private readonly ILogger? _logger;
    private readonly Timer _timer;
    private int _checking;

    /// <summary>
    /// Loads every certificate of <paramref name="config"/> (paths relative to <paramref name="folder"/>); a file that cannot be
    /// read or a pair that does not load is a <see cref="ConfigException"/> naming it in <paramref name="source"/>.
    /// </summary>
    public ServerCertificates(TlsConfig config, string folder, string source, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _logger = logger;
        var exact = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var wildcard = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        _files = new CertificateFiles[config.Certificates.Count];
        _default = 0;
        for (var i = 0; i < _files.Length; i++)
        {
            var entry = config.Certificates[i];
            _files[i] = CertificateFiles.Open(Path.Combine(folder, entry.Cert), Path.Combine(folder, entry.Key), source, $"$.tls.certificates[{i}]");
            if (entry.Hosts.Count == 0)
            {
                _default = i;
            }

            foreach (var host in entry.Hosts)
            {
                _ = host.StartsWith("*.", StringComparison.Ordinal) ? wildcard.TryAdd(host[2..], i) : exact.TryAdd(host, i);
            }
        }

        _exact = exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcard = wildcard.GetAlternateLookup<ReadOnlySpan<char>>();
        StrictTransportSecurity = config.Hsts is { } hsts ? Encoding.ASCII.GetBytes(HstsValue(hsts)) : null;
        _timer = new Timer(static state => ((ServerCertificates)state!).CheckFiles(), this, FileCheckInterval, FileCheckInterval);
    }

    /// <summary>The <c>Strict-Transport-Security</c> value for responses over TLS, or null when HSTS is off.</summary>
    public byte[]? StrictTransportSecurity { get; }

    /// <summary>The handshake options serving <paramref name="serverName"/> (the client's SNI, or null when it sent none).</summary>
    public SslServerAuthenticationOptions Select(string? serverName)
    {
        var name = serverName.AsSpan().TrimEnd('.');
        if (!name.IsEmpty)
        {
            if (_exact.TryGetValue(name, out var index))
            {
                return _files[index].Current.Options;
            }

            var dot = name.IndexOf('.');
            if (dot > 0 && _wildcard.TryGetValue(name[(dot + 1)..], out index))
            {
                return _files[index].Current.Options;
            }
        }

        return _files[_default].Current.Options;
    }

    /// <summary>Reads every pair of files again and serves those that changed and load; returns how many were replaced.</summary>
    public int CheckFiles()
    {
        if (Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return 0;
        }

        try
        {
            var replaced = 0;
            foreach (var files in _files)
            {
                switch (files.Reload())
                {
                    case CertificateFiles.Outcome.Replaced:
                        replaced++;
                        if (_logger is not null)
                        {
                            TlsLog.CertificateReloaded(_logger, files.CertPath, files.Current.NotAfter);
                        }

                        break;
                    case CertificateFiles.Outcome.Refused when _logger is not null:
                        TlsLog.CertificateRefused(_logger, files.CertPath, files.Problem);
                        break;
                }
            }

            return replaced;
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    /// <summary>Stops checking the files (the certificates keep serving the handshakes that already picked them).</summary>
    public void Dispose() => _timer.Dispose();

    private static string HstsValue(HstsConfig hsts)
    {
        var maxAge = Duration.TryParse(hsts.MaxAge, out var parsed, out _) ? parsed : throw new ArgumentException("the HSTS max-age was validated", nameof(hsts));
        return $"max-age={(long)maxAge.TotalSeconds}{(hsts.IncludeSubDomains ? "; includeSubDomains" : "")}{(hsts.Preload ? "; preload" : "")}";
    }
}
