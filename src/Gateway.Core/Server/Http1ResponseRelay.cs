using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Gateway.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Server;

/// <summary>
/// The HTTP/1.1 answer of an in-memory connection written as an HTTP/2 response: the status, the fields less the
/// connection-specific ones (RFC 9113 §8.2.2) and those the <c>Connection</c> field names, the body de-framed and
/// streamed as it comes, and a chunked body's trailer fields as HTTP/2 trailers. Interim answers are skipped; an answer cut
/// short resets the stream.
/// </summary>
internal static class Http1ResponseRelay
{
    /// <summary>Relays the answer read from <paramref name="input"/> to <paramref name="context"/>'s response until the connection ends.</summary>
    public static async Task RelayAsync(PipeReader input, HttpContext context)
    {
        var response = context.Response;
        bool chunked;
        while (true)
        {
            var read = await input.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            var reader = new SequenceReader<byte>(read.Buffer);
            if (reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8))
            {
                // The head is read before the pipe is advanced past it: advancing may free its memory.
                var text = Encoding.Latin1.GetString(head);
                input.AdvanceTo(reader.Position);
                if (WriteHead(text, response, out chunked))
                {
                    break;
                }

                continue;
            }

            if (read.IsCompleted)
            {
                // The connection ended without an answer (it was aborted): the stream is reset.
                context.Abort();
                return;
            }

            input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        if (chunked)
        {
            await CopyChunkedAsync(input, context).ConfigureAwait(false);
        }
        else
        {
            await CopyAsync(input, context).ConfigureAwait(false);
        }
    }

    /// <summary>Sets the response's status and fields from an answer's head; false for an interim (1xx) answer, which is dropped.</summary>
    private static bool WriteHead(string head, HttpResponse response, out bool chunked)
    {
        chunked = false;
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture);
        if (status < 200)
        {
            return false;
        }

        var named = new List<string>();
        var fields = new List<(string Name, string Value)>(lines.Length - 1);
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (line[..colon], line[(colon + 1)..].Trim());
            if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                named.AddRange(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = true;
            }
            else if (!IsConnectionSpecific(name))
            {
                fields.Add((name, value));
            }
        }

        response.StatusCode = status;
        foreach (var (name, value) in fields)
        {
            if (!named.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                response.Headers.Append(name, value);
            }
        }

        return true;
    }

    /// <summary>Copies a body framed by its length or by the connection's end.</summary>
    private static async Task CopyAsync(PipeReader input, HttpContext context)
    {
        while (true)
        {
            var read = await input.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            foreach (var segment in read.Buffer)
            {
                context.Response.BodyWriter.Write(segment.Span);
            }

            input.AdvanceTo(read.Buffer.End);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            if (read.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Copies a chunked body's data, then its trailer fields as the response's trailers; a body cut short resets the stream.</summary>
    private static async Task CopyChunkedAsync(PipeReader input, HttpContext context)
    {
        var decoder = new ChunkedDecoder { KeepTrailers = true };
        decoder.Reset();
        while (true)
        {
            var read = await input.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            var buffer = read.Buffer;
            var status = ChunkStatus.Data;
            while (status == ChunkStatus.Data)
            {
                status = decoder.Next(ref buffer, out var data);
                foreach (var segment in data)
                {
                    context.Response.BodyWriter.Write(segment.Span);
                }
            }

            input.AdvanceTo(buffer.Start, read.Buffer.End);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            if (status == ChunkStatus.Done)
            {
                AppendTrailers(decoder.Trailers, context.Response);
                return;
            }

            if (status == ChunkStatus.Error || read.IsCompleted)
            {
                context.Abort();
                return;
            }
        }
    }

    /// <summary>Sets the trailer field lines of the answer's chunked body (already checked by the decoder) as the response's trailers.</summary>
    private static void AppendTrailers(ReadOnlySpan<byte> lines, HttpResponse response)
    {
        if (lines.IsEmpty || !response.SupportsTrailers())
        {
            return;
        }

        foreach (var line in Encoding.Latin1.GetString(lines).Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            response.AppendTrailer(line[..colon].ToLowerInvariant(), line[(colon + 1)..].Trim());
        }
    }

    /// <summary>Fields that mean something only to an HTTP/1.1 connection (RFC 9113 §8.2.2), and <c>Trailer</c> (HTTP/2 trailers need no announcement).</summary>
    private static bool IsConnectionSpecific(string name) =>
        name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
        || name.Equals("TE", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Trailer", StringComparison.OrdinalIgnoreCase);
}
