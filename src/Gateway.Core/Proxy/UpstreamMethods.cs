using System.Text;

namespace Gateway.Core.Proxy;

/// <summary>Maps request method bytes to <see cref="HttpMethod"/>, reusing the shared instances of the standard methods.</summary>
internal static class UpstreamMethods
{
    /// <summary>The method for <paramref name="method"/> (case-sensitive, as on the wire).</summary>
    public static HttpMethod Get(ReadOnlySpan<byte> method) => method.Length switch
    {
        3 when method.SequenceEqual("GET"u8) => HttpMethod.Get,
        3 when method.SequenceEqual("PUT"u8) => HttpMethod.Put,
        4 when method.SequenceEqual("POST"u8) => HttpMethod.Post,
        4 when method.SequenceEqual("HEAD"u8) => HttpMethod.Head,
        5 when method.SequenceEqual("PATCH"u8) => HttpMethod.Patch,
        5 when method.SequenceEqual("TRACE"u8) => HttpMethod.Trace,
        6 when method.SequenceEqual("DELETE"u8) => HttpMethod.Delete,
        7 when method.SequenceEqual("OPTIONS"u8) => HttpMethod.Options,
        _ => new HttpMethod(Encoding.ASCII.GetString(method)),
    };
}
