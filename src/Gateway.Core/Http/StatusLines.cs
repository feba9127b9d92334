using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Gateway.Core.Http;

/// <summary>Precomputed "HTTP/1.1 NNN Reason\r\n" bytes for every status code, built once per code on first use.</summary>
internal static class StatusLines
{
    private static readonly byte[]?[] Lines = new byte[]?[600];

    /// <summary>The status line for <paramref name="status"/> with its standard reason phrase.</summary>
    public static byte[] For(int status)
    {
        if ((uint)status >= (uint)Lines.Length)
        {
            return Build(status);
        }

        return Lines[status] ??= Build(status);
    }

    private static byte[] Build(int status)
    {
        var reason = ReasonPhrases.GetReasonPhrase(status);
        return Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {(reason.Length == 0 ? "Unknown" : reason)}\r\n");
    }
}
