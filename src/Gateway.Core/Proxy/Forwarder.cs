using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Diagnostics;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Proxy;

/// <summary>
/// Forwards one request to its route's cluster and streams the response back: builds the upstream request
/// (target, headers, streamed body), sends it on the cluster's pooled client, writes the response head and
/// relays the body with the framing the client needs. Failures become problem responses (502, 504, 400, 413).
/// One per connection; <paramref name="closeRequested"/> says whether the connection has been asked to close (shutdown),
/// read when the response head is written so a drain that began mid-exchange is announced with <c>Connection: close</c>.
/// </summary>
internal sealed class Forwarder(
    PipeWriter output, RequestBodyReader body, UpstreamDeadline deadline, ClientInfo client, ResponseFields responseFields, GatewayMetrics? metrics,
    Func<bool> closeRequested)
{
    private const int MaxChunkData = 0xFFFF;
    private const int ChunkPrefixLength = 6;
    private static readonly UriCreationOptions ExactPath = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>Forwards the request described by <paramref name="head"/> along <paramref name="route"/>, noting what happened in <paramref name="record"/>.</summary>
    public async ValueTask<ForwardResult> ForwardAsync(RequestHead head, ProxyRoute route, Range[] parameters, RequestRecord record)
    {
        var cluster = route.Cluster;
        var destination = cluster.PickDestination();
        using var request = CreateRequest(head, route, parameters, destination, record);
        record.Upstream = destination.Address;
        record.UpstreamSent = Stopwatch.GetTimestamp();
        destination.RequestStarted();
        deadline.Start(cluster.Timeout);
        try
        {
            HttpResponseMessage response;
            try
            {
                response = await cluster.Invoker.SendAsync(request, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or InvalidDataException)
            {
                // InvalidDataException: the client's body was malformed or over the limit; the send surfaces it unwrapped.
                return await FailBeforeResponseAsync(ex, cluster, record).ConfigureAwait(false);
            }

            using (response)
            {
                return await RelayResponseAsync(head, response, cluster, record).ConfigureAwait(false);
            }
        }
        finally
        {
            deadline.Stop();
            destination.RequestFinished();
        }
    }

    private HttpRequestMessage CreateRequest(RequestHead head, ProxyRoute route, Range[] parameters, Destination destination, RequestRecord record)
    {
        var request = new HttpRequestMessage(UpstreamMethods.Get(head.MethodBytes), BuildUri(head, route, parameters, destination))
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (head.HasBody || head.ContentLength == 0)
        {
            request.Content = new RequestBodyContent(body);
        }

        RequestHeaderRules.Apply(head, request, client, record);
        return request;
    }

    private static Uri BuildUri(RequestHead head, ProxyRoute route, Range[] parameters, Destination destination)
    {
        var path = head.PathBytes;
        byte[]? rented = null;
        if (route.Rewrite is { } rewrite)
        {
            var size = (path.Length * 2) + 256;
            while (true)
            {
                rented = ArrayPool<byte>.Shared.Rent(size);
                var written = rewrite.Apply(path, parameters, rented);
                if (written >= 0)
                {
                    path = rented.AsSpan(0, written);
                    break;
                }

                ArrayPool<byte>.Shared.Return(rented);
                size *= 4;
            }
        }

        var query = head.QueryBytes;
        var length = destination.Address.Length + path.Length + query.Length;
        var chars = ArrayPool<char>.Shared.Rent(length);
        destination.Address.CopyTo(chars);
        System.Text.Encoding.Latin1.GetChars(path, chars.AsSpan(destination.Address.Length));
        System.Text.Encoding.Latin1.GetChars(query, chars.AsSpan(destination.Address.Length + path.Length));
        var text = new string(chars, 0, length);
        ArrayPool<char>.Shared.Return(chars);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return new Uri(text, ExactPath);
    }

    private async ValueTask<ForwardResult> FailBeforeResponseAsync(Exception exception, Cluster cluster, RequestRecord record)
    {
        var kind = body.Error is not null || deadline.ClientClosed || body.ClientAborted ? UpstreamErrorKind.None
            : deadline.TimedOut ? UpstreamErrorKind.Timeout
            : IsConnectFailure(exception) ? UpstreamErrorKind.Connect
            : exception is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } or IOException ? UpstreamErrorKind.Reset
            : UpstreamErrorKind.Other;
        var (status, detail) = body.Error is { } bodyError ? (bodyError.Status, bodyError.Detail)
            : kind == UpstreamErrorKind.Timeout ? (504, "The upstream did not respond in time.")
            : kind == UpstreamErrorKind.Connect ? (502, "The gateway could not connect to the upstream.")
            : (502, "The upstream failed to answer.");
        if (kind != UpstreamErrorKind.None)
        {
            metrics?.UpstreamError(cluster.Id, kind);
        }

        if (!body.IsComplete)
        {
            // The copy may still be waiting for client bytes; stop it before the pipe is touched again.
            deadline.Abort();
        }

        await body.WaitIdleAsync().ConfigureAwait(false);
        if (deadline.ClientClosed || body.ClientAborted)
        {
            return ForwardResult.Abort;
        }

        record.Status = status;
        record.BytesOut += ProblemResponse.Write(output, status, detail, close: true, record.RequestId, extraFields: responseFields.Lines);
        await output.FlushAsync().ConfigureAwait(false);
        return ForwardResult.Close;
    }

    /// <summary>
    /// The upstream's Content-Length, or -1. Read raw: the upstream client already framed the body by it (and refused a
    /// malformed one), and the typed property would parse it again under a lock.
    /// </summary>
    private static long UpstreamContentLength(HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Length", out var values)
        && long.TryParse(values.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length)
            ? length
            : -1;

    private static bool IsConnectFailure(Exception exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }
        || exception.InnerException is SocketException or TimeoutException;

    private async ValueTask<ForwardResult> RelayResponseAsync(RequestHead head, HttpResponseMessage response, Cluster cluster, RequestRecord record)
    {
        deadline.Extend();
        record.UpstreamResponded = Stopwatch.GetTimestamp();
        var status = (int)response.StatusCode;
        record.Status = status;
        var contentLength = UpstreamContentLength(response);
        var http10 = head.Version == Http.HttpVersion.Http10;
        var framing = status is < 200 or 204 or 304 || head.MethodBytes.SequenceEqual("HEAD"u8) ? ResponseFraming.None
            : contentLength >= 0 ? ResponseFraming.ContentLength
            : http10 ? ResponseFraming.Close
            : ResponseFraming.Chunked;
        var close = closeRequested() || !head.KeepAlive || framing == ResponseFraming.Close || !body.IsComplete;
        record.BytesOut += ResponseHeadWriter.Write(output, response, framing, contentLength, close, http10, record.RequestId, responseFields.Lines);
        try
        {
            if (framing != ResponseFraming.None)
            {
                var stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
                record.BytesOut += await (framing == ResponseFraming.Chunked ? CopyChunkedAsync(stream) : CopyAsync(stream, contentLength)).ConfigureAwait(false);
            }

            await output.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            if (!deadline.ClientClosed)
            {
                metrics?.UpstreamError(cluster.Id, deadline.TimedOut ? UpstreamErrorKind.Timeout : UpstreamErrorKind.Reset);
            }

            return ForwardResult.Abort;
        }

        if (!body.IsComplete)
        {
            deadline.Abort();
            await body.WaitIdleAsync().ConfigureAwait(false);
            return ForwardResult.Close;
        }

        return close ? ForwardResult.Close : ForwardResult.KeepAlive;
    }

    /// <summary>Relays exactly <paramref name="contentLength"/> bytes, or everything up to the end when it is negative.</summary>
    private async Task<long> CopyAsync(Stream stream, long contentLength)
    {
        var sent = 0L;
        while (contentLength < 0 || sent < contentLength)
        {
            var memory = output.GetMemory(8192);
            var read = await stream.ReadAsync(memory, deadline.Token).ConfigureAwait(false);
            if (read == 0)
            {
                return contentLength < 0 ? sent : throw new IOException("The upstream response body ended early.");
            }

            output.Advance(read);
            sent += read;
            deadline.Extend();
            if (sent != contentLength)
            {
                await output.FlushAsync().ConfigureAwait(false);
            }
        }

        return sent;
    }

    private async Task<long> CopyChunkedAsync(Stream stream)
    {
        var sent = 0L;
        while (true)
        {
            var memory = output.GetMemory(8192);
            var dataLength = Math.Min(memory.Length - ChunkPrefixLength - 2, MaxChunkData);
            var read = await stream.ReadAsync(memory.Slice(ChunkPrefixLength, dataLength), deadline.Token).ConfigureAwait(false);
            if (read == 0)
            {
                output.Write("0\r\n\r\n"u8);
                return sent + 5;
            }

            WriteChunkFrame(memory.Span, read);
            output.Advance(ChunkPrefixLength + read + 2);
            sent += ChunkPrefixLength + read + 2;
            deadline.Extend();
            await output.FlushAsync().ConfigureAwait(false);
        }
    }

    private static void WriteChunkFrame(Span<byte> chunk, int length)
    {
        const string Hex = "0123456789abcdef";
        chunk[0] = (byte)Hex[(length >> 12) & 0xF];
        chunk[1] = (byte)Hex[(length >> 8) & 0xF];
        chunk[2] = (byte)Hex[(length >> 4) & 0xF];
        chunk[3] = (byte)Hex[length & 0xF];
        chunk[4] = (byte)'\r';
        chunk[5] = (byte)'\n';
        chunk[ChunkPrefixLength + length] = (byte)'\r';
        chunk[ChunkPrefixLength + length + 1] = (byte)'\n';
    }
}
