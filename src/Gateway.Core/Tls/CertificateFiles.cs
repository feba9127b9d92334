using System.Security.Cryptography;
using Gateway.Core.Configuration;

namespace Gateway.Core.Tls;

/// <summary>One certificate's pair of PEM files and the certificate last loaded from them, which serves until a changed pair loads.</summary>
internal sealed class CertificateFiles
{
    private volatile ServerCertificate _current;
    private byte[] _lastSeen;

    private CertificateFiles(string certPath, string keyPath, ServerCertificate current)
    {
        CertPath = certPath;
        KeyPath = keyPath;
        _current = current;
        _lastSeen = current.Fingerprint;
    }

    /// <summary>What a <see cref="Reload"/> did.</summary>
    public enum Outcome
    {
        /// <summary>The files are as last seen.</summary>
        Unchanged,

        /// <summary>The files changed and their certificate serves now.</summary>
        Replaced,

        /// <summary>The files changed but cannot be read or loaded; the previous certificate still serves (see <see cref="Problem"/>).</summary>
        Refused,
    }

    /// <summary>The certificate file's full path.</summary>
    public string CertPath { get; }

    /// <summary>The key file's full path.</summary>
    public string KeyPath { get; }

    /// <summary>The certificate handshakes get now.</summary>
    public ServerCertificate Current => _current;

    /// <summary>Why the last changed pair was refused.</summary>
    public string Problem { get; private set; } = "";

    /// <summary>Loads the pair at start or reload; a pair that cannot be read or loaded is a <see cref="ConfigException"/> at <paramref name="at"/>.</summary>
    public static CertificateFiles Open(string certPath, string keyPath, string source, string at)
    {
        try
        {
            var (cert, key, fingerprint) = ServerCertificate.ReadFiles(certPath, keyPath);
            return new CertificateFiles(certPath, keyPath, ServerCertificate.Load(cert, key, fingerprint));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ConfigException(source, at, $"the certificate {certPath} and key {keyPath} could not be loaded: {ex.Message}");
        }
    }

    /// <summary>Reads the files and, when they differ from the pair last seen, loads them. Never throws.</summary>
    public Outcome Reload()
    {
        try
        {
            var (cert, key, fingerprint) = ServerCertificate.ReadFiles(CertPath, KeyPath);
            if (fingerprint.AsSpan().SequenceEqual(_lastSeen))
            {
                Problem = "";
                return Outcome.Unchanged;
            }

            // A pair is judged once: a certificate written before its key is refused, then loaded when the key lands.
            _lastSeen = fingerprint;
            _current = ServerCertificate.Load(cert, key, fingerprint);
            Problem = "";
            return Outcome.Replaced;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            var changed = Problem != ex.Message;
            Problem = ex.Message;
            return changed ? Outcome.Refused : Outcome.Unchanged;
        }
    }
}
