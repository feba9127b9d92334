using System.IO.Pipelines;
using System.Text;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;
using Gateway.Core.Proxy;
using Gateway.Core.Upstreams;

namespace Gateway.Fuzz;

/// <summary>The header fields the forwarder writes upstream for a parsed head, read back from the bytes <see cref="UpstreamRequestWriter"/> emits.</summary>
internal static class ForwardedHeaders
{
    /// <summary>A trusted peer, so the client's own X-Forwarded-* values are forwarded too (the case with the most client bytes).</summary>
    private static readonly ClientInfo Client = new("192.0.2.1", "http", TrustedProxy: true);

    /// <summary>A destination that is never contacted: only its address is used.</summary>
    private static readonly UpstreamAddress Destination = new("http://upstream.test");

    /// <summary>
    /// Every line the forwarder would emit for <paramref name="head"/>: the request line (with an empty name), then each field
    /// as (name, value). Throws when the head does not end with an empty line or a field line is not <c>name: value</c>.
    /// </summary>
    public static List<(string Name, string Value)> Emit(RequestHead head, int headLength)
    {
        var context = new RequestContext(Client, []);
        context.Begin(head, headLength);
        using var bytes = new MemoryStream();
        var output = PipeWriter.Create(bytes);
        UpstreamRequestWriter.Write(output, context, rewrite: null, Destination, upgrade: false);
        output.FlushAsync().AsTask().GetAwaiter().GetResult();
        var text = Encoding.Latin1.GetString(bytes.ToArray());
        if (!text.EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            throw new InvariantViolationException("the upstream head does not end with CRLF CRLF");
        }

        var lines = text[..^4].Split("\r\n");
        var emitted = new List<(string, string)> { (string.Empty, lines[0]) };
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvariantViolationException($"The upstream head holds a line that is not name: value [{line}].");
            }

            emitted.Add((line[..colon], line[(colon + 2)..]));
        }

        return emitted;
    }
}
