using System.Buffers.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Proxy;

/// <summary>What the gateway reads of a gRPC request: whether it is one (its content type), and its deadline (<c>grpc-timeout</c>).</summary>
internal static class GrpcRequest
{
    /// <summary>The longest <c>grpc-timeout</c> value: eight digits (gRPC over HTTP/2, "Timeout").</summary>
    private const int MaxDigits = 8;

    /// <summary>True when <paramref name="head"/>'s content type is <c>application/grpc</c>, or <c>application/grpc+...</c> / <c>;...</c>.</summary>
    public static bool Is(RequestHead head)
    {
        var type = head.FirstValueOf("Content-Type"u8);
        const int Length = 16; // "application/grpc"
        return type.Length >= Length && HttpSyntax.EqualsIgnoreCase(type[..Length], "application/grpc"u8)
            && (type.Length == Length || type[Length] is (byte)'+' or (byte)';');
    }

    /// <summary>The request's <c>grpc-timeout</c> (e.g. <c>100m</c>, <c>5S</c>, <c>1H</c>) as a time, or null when it has none or a malformed one.</summary>
    public static TimeSpan? Timeout(RequestHead head) => Parse(head.FirstValueOf("grpc-timeout"u8));

    /// <summary>Reads a <c>grpc-timeout</c> value: 1 to 8 digits and a unit (H, M, S, m, u, n); null when it is not one.</summary>
    public static TimeSpan? Parse(ReadOnlySpan<byte> value)
    {
        if (value.Length is < 2 or > MaxDigits + 1 || !Utf8Parser.TryParse(value[..^1], out long amount, out var consumed) || consumed != value.Length - 1
            || value[0] is < (byte)'0' or > (byte)'9')
        {
            return null;
        }

        return value[^1] switch
        {
            (byte)'H' => TimeSpan.FromHours(amount),
            (byte)'M' => TimeSpan.FromMinutes(amount),
            (byte)'S' => TimeSpan.FromSeconds(amount),
            (byte)'m' => TimeSpan.FromMilliseconds(amount),
            (byte)'u' => TimeSpan.FromMicroseconds(amount),
            (byte)'n' => TimeSpan.FromTicks(amount / 100),
            _ => null,
        };
    }
}
