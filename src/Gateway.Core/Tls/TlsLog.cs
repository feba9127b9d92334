using Microsoft.Extensions.Logging;

namespace Gateway.Core.Tls;

/// <summary>The log lines of TLS termination: certificates replaced on disk, served or refused.</summary>
internal static partial class TlsLog
{
    [LoggerMessage(EventId = 1, EventName = "tls.certificate_reloaded", Level = LogLevel.Information, Message = "TLS certificate {CertPath} changed on disk and serves from now on (expires {NotAfter:u})")]
    public static partial void CertificateReloaded(ILogger logger, string certPath, DateTime notAfter);

    [LoggerMessage(EventId = 2, EventName = "tls.certificate_refused", Level = LogLevel.Warning, Message = "TLS certificate {CertPath} changed on disk but cannot be loaded; the previous one still serves: {Problem}")]
    public static partial void CertificateRefused(ILogger logger, string certPath, string problem);
}
