using System.Text;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Proxy;

/// <summary>
/// The gateway's own error answered the gRPC way to a gRPC request: a trailers-only response (HTTP 200,
/// <c>content-type: application/grpc</c>, <c>grpc-status</c> and a percent-encoded <c>grpc-message</c> in the head, no body),
/// with the HTTP status the gateway would have sent mapped to the gRPC code a client expects.
/// </summary>
internal static class GrpcProblem
{
    /// <summary>The gRPC status code for the gateway's answer <paramref name="status"/>.</summary>
    public static int StatusFor(int status) => status switch
    {
        429 or 413 => 8,  // RESOURCE_EXHAUSTED
        504 or 408 => 4,  // DEADLINE_EXCEEDED
        502 or 503 => 14, // UNAVAILABLE
        401 => 16,        // UNAUTHENTICATED
        403 => 7,         // PERMISSION_DENIED
        404 or 405 => 12, // UNIMPLEMENTED
        400 or 414 or 431 or 500 => 13, // INTERNAL
        _ => 2,           // UNKNOWN
    };

    /// <summary>Fills <paramref name="response"/> with the gRPC form of the problem <paramref name="status"/>, <paramref name="detail"/>.</summary>
    public static GatewayResponse Fill(GatewayResponse response, int status, string detail)
    {
        response.Status = 200;
        response.Body = default;
        response.Fields.Clear();
        response.Fields.Add("Content-Type"u8, "application/grpc"u8);
        response.Fields.Add("grpc-status"u8, StatusFor(status).ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Fields.Add("grpc-message"u8, PercentEncode(detail));
        return response;
    }

    /// <summary>The message percent-encoded as gRPC asks: UTF-8, every byte outside printable ASCII and '%' as %XX.</summary>
    private static string PercentEncode(string message)
    {
        var text = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
