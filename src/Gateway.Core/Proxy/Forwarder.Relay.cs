using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Gateway.Core.Http;
using Gateway.Core.Observability;
using Gateway.Core.Pipeline;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Proxy;

/// <summary>The response half of the forwarder: the head toward the client, then the body, de-framed from the upstream and re-framed for the client.</summary>
internal sealed partial class Forwarder
{
    /// <summary>
    /// The most a body of known length reads from the upstream at a time, straight into the client's send buffer: large
    /// enough that a big download costs few system calls, small enough to bound what one response holds in memory.
    /// </summary>
    private const int BodyReadBytes = 64 * 1024;

    /// <summary>
    /// Relays the response whose head was just read, leaving its last bytes unflushed (the caller hands the upstream connection
    /// back first); says how the client connection continues and whether the upstream one can be reused.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(RequestOutcome Result, bool Reusable)> RelayResponseAsync(UpstreamConnection connection, RequestHead head, Cluster cluster, RequestRecord record)
    {
        deadline.Extend();
        record.UpstreamResponded = Stopwatch.GetTimestamp();
        var status = _response.Status;
        record.Status = status;
        var http10 = head.Version == Http.HttpVersion.Http10;
        var bodiless = head.AnswerHasNoBody(status);
        var untilClose = !bodiless && !_response.Chunked && _response.ContentLength < 0;
        var framing = bodiless ? ResponseFraming.None
            : _response.ContentLength >= 0 ? ResponseFraming.ContentLength
            : http10 ? ResponseFraming.Close
            : ResponseFraming.Chunked;
        var close = _closeRequested() || !head.KeepAlive || framing == ResponseFraming.Close || !body.IsComplete;
        context.BeforeResponse(status, _response);
        if (context.Replacement is not null)
        {
            return await ReplaceResponseAsync(connection, head).ConfigureAwait(false);
        }

        record.BytesOut += ResponseHeadWriter.Write(_clientOutput, _response, framing, close, http10, record.RequestId, context.ResponseFields);
        try
        {
            if (!bodiless && _response.ContentLength != 0)
            {
                record.BytesOut += framing == ResponseFraming.ContentLength && !_response.Chunked
                    ? await RelayLengthBodyAsync(connection).ConfigureAwait(false)
                    : await RelayBodyAsync(connection.Input, framing == ResponseFraming.Chunked).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsTransportFailure(ex) || ex is InvalidDataException)
        {
            if (!deadline.ClientClosed)
            {
                metrics?.UpstreamError(cluster.Id, deadline.TimedOut ? UpstreamErrorKind.Timeout
                    : ex is InvalidDataException ? UpstreamErrorKind.Protocol
                    : UpstreamErrorKind.Reset);
            }

            await StopBodyAsync(connection).ConfigureAwait(false);
            return (RequestOutcome.Abort, false);
        }

        if (!body.IsComplete)
        {
            // The upstream answered before taking the whole body: the rest of the client's body is unread, so both connections close.
            await StopBodyAsync(connection).ConfigureAwait(false);
            return (RequestOutcome.Close, false);
        }

        // The whole body was read from the client; its last flush upstream may still be finishing (bounded by the deadline).
        var bodySent = await _bodySent.ConfigureAwait(false);
        return (close ? RequestOutcome.Close : RequestOutcome.KeepAlive, bodySent && _response.KeepAlive && !untilClose);
    }

    /// <summary>
    /// Sends the response a step put in place of the upstream's, leaving it unflushed like a relayed one; the upstream's
    /// answer is dropped, and its connection kept only when nothing of it is left to read.
    /// </summary>
    private async ValueTask<(RequestOutcome Result, bool Reusable)> ReplaceResponseAsync(UpstreamConnection connection, RequestHead head)
    {
        var close = _closeRequested() || !head.KeepAlive || !body.IsComplete;
        responses.WriteReplacement(close);
        var dropped = SkipDroppedAnswer(connection, head);
        if (!body.IsComplete)
        {
            await StopBodyAsync(connection).ConfigureAwait(false);
            return (RequestOutcome.Close, false);
        }

        var bodySent = await _bodySent.ConfigureAwait(false);
        return (close ? RequestOutcome.Close : RequestOutcome.KeepAlive, bodySent && dropped);
    }

    /// <summary>
    /// Copies a body of known length that goes to the client as it is: each read from the upstream lands straight in the
    /// client's send buffer (at most <see cref="BodyReadBytes"/> at a time), and is flushed before the next read, so a client
    /// that reads slowly holds the upstream back after one read. The last bytes stay unflushed; returns the body's length.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<long> RelayLengthBodyAsync(UpstreamConnection connection)
    {
        var remaining = _response.ContentLength;
        while (true)
        {
            var memory = _clientOutput.GetMemory((int)Math.Min(remaining, BodyReadBytes));
            var read = await connection.ReadIntoAsync(memory[..(int)Math.Min(remaining, memory.Length)], deadline.Token).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("The upstream response body ended early.");
            }

            _clientOutput.Advance(read);
            if (context.ObservesBody)
            {
                context.OnResponseBody(memory.Span[..read]);
            }

            remaining -= read;
            if (remaining == 0)
            {
                return _response.ContentLength;
            }

            deadline.Extend();
            if ((await _clientOutput.FlushAsync().ConfigureAwait(false)).IsCompleted)
            {
                throw new IOException("The client stopped taking the response.");
            }
        }
    }

    /// <summary>Copies the response body to the client, flushing after every upstream read; returns the bytes written to the client.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<long> RelayBodyAsync(PipeReader input, bool chunkToClient)
    {
        var sent = 0L;
        var remaining = _response.ContentLength;
        if (_response.Chunked)
        {
            _chunked.Reset();
        }

        while (true)
        {
            var result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            bool done;
            if (_response.Chunked)
            {
                done = DecodeChunks(ref buffer, chunkToClient, ref sent);
            }
            else if (remaining >= 0)
            {
                var data = buffer.Slice(0, Math.Min(remaining, buffer.Length));
                sent += WriteData(data, chunkToClient);
                remaining -= data.Length;
                buffer = buffer.Slice(data.End);
                done = remaining == 0;
            }
            else
            {
                sent += WriteData(buffer, chunkToClient);
                buffer = buffer.Slice(buffer.End);
                done = result.IsCompleted;
            }

            if (done)
            {
                // Bytes after the body stay unexamined: a stray byte there keeps the connection out of the pool.
                input.AdvanceTo(buffer.Start);
                if (chunkToClient)
                {
                    _clientOutput.Write(ChunkedEncoder.LastChunk);
                    sent += ChunkedEncoder.LastChunk.Length;
                }

                return sent;
            }

            input.AdvanceTo(buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
            {
                throw new IOException("The upstream response body ended early.");
            }

            deadline.Extend();
            await _clientOutput.FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Decodes the chunks in <paramref name="buffer"/>; true once the last chunk and trailers were read. Malformed chunking throws.</summary>
    private bool DecodeChunks(ref ReadOnlySequence<byte> buffer, bool chunkToClient, ref long sent)
    {
        while (true)
        {
            switch (_chunked.Next(ref buffer, out var data))
            {
                case ChunkStatus.Data:
                    sent += WriteData(data, chunkToClient);
                    break;
                case ChunkStatus.Done:
                    return true;
                case ChunkStatus.NeedMore:
                    return false;
                default:
                    throw new InvalidDataException("The upstream response's chunked framing is malformed.");
            }
        }
    }

    /// <summary>Writes body bytes to the client, as one chunk when the client's framing is chunked; returns the bytes written.</summary>
    private long WriteData(in ReadOnlySequence<byte> data, bool chunked)
    {
        if (data.IsEmpty)
        {
            return 0;
        }

        var framing = chunked ? ChunkedEncoder.WriteSizeLine(_clientOutput, data.Length) : 0;
        foreach (var segment in data)
        {
            _clientOutput.Write(segment.Span);
            if (context.ObservesBody)
            {
                context.OnResponseBody(segment.Span);
            }
        }

        if (chunked)
        {
            _clientOutput.Write(ChunkedEncoder.ChunkEnd);
            framing += ChunkedEncoder.ChunkEnd.Length;
        }

        return data.Length + framing;
    }
}
