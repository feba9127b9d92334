using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Gateway.Core.Http;

/// <summary>
/// Streams one request body from the client connection's <see cref="PipeReader"/> to a destination stream,
/// de-framing Content-Length or chunked bodies and enforcing the body size limit and the minimum data rate.
/// The body is never buffered whole: each piece is written onward straight from the pipe's buffers. Serves one connection
/// at a time (<see cref="Bind"/>), request after request.
/// </summary>
/// <remarks>
/// The rate counts only the time spent waiting for the client's bytes: time spent waiting for the upstream to take
/// them (backpressure) is not the client's fault. The connection's heartbeat calls <see cref="OnHeartbeat"/>, which
/// reads what the copy records (bytes that arrived, completed waits, the start of the current wait) without a lock:
/// the copy publishes the bytes before it ends a wait and ends a wait before it adds it to the total, and the heartbeat
/// reads in the opposite order, so a torn read can only make the client look faster, never slower.
/// </remarks>
internal sealed class RequestBodyReader(HttpLimits limits, MillisecondClock clock)
{
    private const long NotWaiting = -1;
    private static readonly byte[] ContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    private readonly ChunkedDecoder _chunked = new();
    private PipeReader _input = null!;
    private PipeWriter _output = null!;
    private long _remaining;
    private bool _isChunked;
    private bool _sendContinue;
    private long _received;
    private Task _copy = Task.CompletedTask;
    private long _arrived;
    private long _unread;
    private long _waitedMilliseconds;
    private long _waitingSince = NotWaiting;
    private volatile bool _tooSlow;

    /// <summary>A reader of the bodies that arrive on <paramref name="input"/>, answering <c>Expect: 100-continue</c> on <paramref name="output"/>.</summary>
    public RequestBodyReader(PipeReader input, PipeWriter output, HttpLimits limits)
        : this(limits, default) => Bind(input, output);

    /// <summary>True when the whole body has been read from the client (or there was none).</summary>
    public bool IsComplete { get; private set; } = true;

    /// <summary>The client's error, when the body was malformed, too large or too slow.</summary>
    public RequestError? Error { get; private set; }

    /// <summary>True when the client closed the connection before the body ended.</summary>
    public bool ClientAborted { get; private set; }

    /// <summary>Body bytes read from the client so far for the current request.</summary>
    public long BytesReceived => _received;

    /// <summary>The declared length, or -1 for a chunked body.</summary>
    public long ContentLength { get; private set; }

    /// <summary>Points the reader at a client connection's pipes, for the requests it serves from now on.</summary>
    public void Bind(PipeReader input, PipeWriter output) => (_input, _output) = (input, output);

    /// <summary>Prepares to read the body <paramref name="head"/> declares.</summary>
    public void Start(RequestHead head)
    {
        _isChunked = head.Chunked;
        _remaining = head.ContentLength > 0 ? head.ContentLength : 0;
        ContentLength = head.Chunked ? -1 : _remaining;
        _sendContinue = head.ExpectContinue;
        _received = 0;
        _arrived = 0;
        _unread = 0;
        _waitedMilliseconds = 0;
        _tooSlow = false;
        _chunked.Reset();
        IsComplete = !head.HasBody;
        Error = null;
        ClientAborted = false;
        _copy = Task.CompletedTask;
    }

    /// <summary>Copies the body to <paramref name="destination"/>; throws when the client's body is bad, too slow or cut short.</summary>
    public Task CopyToAsync(Stream destination, CancellationToken cancellationToken)
    {
        _copy = CopyCoreAsync(destination, cancellationToken);
        return _copy;
    }

    /// <summary>Waits until no copy is using the pipe any more (it may have failed; that is reported elsewhere).</summary>
    public async Task WaitIdleAsync()
    {
        try
        {
            await _copy.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already reported: through Error/ClientAborted, or as the upstream send's own failure.
        }
    }

    private async Task CopyCoreAsync(Stream destination, CancellationToken cancellationToken)
    {
        if (_sendContinue)
        {
            _sendContinue = false;
            if (!ContentAlreadyArrived())
            {
                await _output.WriteAsync(ContinueResponse, cancellationToken).ConfigureAwait(false);
            }
        }

        while (!IsComplete)
        {
            var result = await ReadClientAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                buffer = _isChunked
                    ? await CopyChunkedAsync(buffer, destination, cancellationToken).ConfigureAwait(false)
                    : await CopyLengthAsync(buffer, destination, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Once the body is complete, what follows (a pipelined request) is unexamined: the next read must see it
                // without waiting for more bytes. While the body is incomplete, everything was examined.
                if (IsComplete)
                {
                    _input.AdvanceTo(buffer.Start);
                }
                else
                {
                    _input.AdvanceTo(buffer.Start, result.Buffer.End);
                    _unread = buffer.Length;
                }
            }

            if (!IsComplete && result.IsCompleted)
            {
                ClientAborted = true;
                throw new IOException("The client closed the connection before the request body ended.");
            }

            if (!IsComplete)
            {
                // Send what arrived now: a streaming upload must not wait for the upstream client's buffer to fill.
                // A complete body is flushed by the upstream client itself, so small bodies still go in one write.
                await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// True when content of the body is already waiting to be read: the client did not wait for 100 Continue, so none is sent
    /// (RFC 9110 §10.1.1 lets a server omit it once some or all of the content has been received).
    /// </summary>
    private bool ContentAlreadyArrived()
    {
        if (!_input.TryRead(out var result))
        {
            return false;
        }

        _input.AdvanceTo(result.Buffer.Start);
        return !result.Buffer.IsEmpty;
    }

    /// <summary>Called once a second while a request is in progress: fails the copy when the client is waited for longer than the grace and sends slower than the minimum rate.</summary>
    public void OnHeartbeat(long now)
    {
        var waited = Volatile.Read(ref _waitedMilliseconds);
        var since = Volatile.Read(ref _waitingSince);
        if (limits.MinRequestBodyRate == 0 || since == NotWaiting)
        {
            return;
        }

        waited += now - since;
        if (waited > (long)limits.MinRequestBodyRateGrace.TotalMilliseconds && Volatile.Read(ref _arrived) * 1000 < limits.MinRequestBodyRate * waited)
        {
            _tooSlow = true;
            _input.CancelPendingRead();
        }
    }

    /// <summary>Reads from the client, timing the wait; throws when the heartbeat found the client too slow.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadClientAsync(CancellationToken cancellationToken)
    {
        var since = clock.Now;
        Volatile.Write(ref _waitingSince, since);
        ReadResult result;
        try
        {
            result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _arrived, _arrived + result.Buffer.Length - _unread);
        }
        finally
        {
            Volatile.Write(ref _waitingSince, NotWaiting);
            Volatile.Write(ref _waitedMilliseconds, _waitedMilliseconds + clock.Now - since);
        }

        if (result.IsCanceled && _tooSlow)
        {
            _input.AdvanceTo(result.Buffer.Start);
            Error = RequestError.BodyTooSlow;
            throw new IOException(Error.Detail);
        }

        return result;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadOnlySequence<byte>> CopyLengthAsync(ReadOnlySequence<byte> buffer, Stream destination, CancellationToken cancellationToken)
    {
        var data = buffer.Slice(0, Math.Min(_remaining, buffer.Length));
        await WriteAsync(data, destination, cancellationToken).ConfigureAwait(false);
        _remaining -= data.Length;
        IsComplete = _remaining == 0;
        return buffer.Slice(data.End);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadOnlySequence<byte>> CopyChunkedAsync(ReadOnlySequence<byte> buffer, Stream destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = _chunked.Next(ref buffer, out var data);
            switch (status)
            {
                case ChunkStatus.Data:
                    await WriteAsync(data, destination, cancellationToken).ConfigureAwait(false);
                    break;
                case ChunkStatus.Done:
                    IsComplete = true;
                    return buffer;
                case ChunkStatus.NeedMore:
                    return buffer;
                default:
                    Error = RequestError.BadChunkedBody;
                    throw new InvalidDataException(Error.Detail);
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteAsync(ReadOnlySequence<byte> data, Stream destination, CancellationToken cancellationToken)
    {
        _received += data.Length;
        if (_received > limits.MaxRequestBodyBytes)
        {
            Error = RequestError.BodyTooLarge;
            throw new InvalidDataException(Error.Detail);
        }

        foreach (var segment in data)
        {
            await destination.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
        }
    }
}
