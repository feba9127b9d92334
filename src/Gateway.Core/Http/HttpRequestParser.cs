using System.Buffers;
using Gateway.Core.Configuration;

namespace Gateway.Core.Http;

/// <summary>What <see cref="HttpRequestParser.TryReadHead"/> found in the bytes so far.</summary>
public enum HeadStatus
{
    /// <summary>The head is not complete yet: read more and call again with the same buffer start.</summary>
    Incomplete,

    /// <summary>The head was parsed into the <see cref="RequestHead"/>.</summary>
    Complete,

    /// <summary>The head is malformed or over a limit; answer the error and close.</summary>
    Error,
}

/// <summary>
/// Incremental HTTP/1.1 request head parser. It copies the head, a bounded chunk at a time, into the
/// connection's <see cref="RequestHead"/> buffer while scanning for the empty line, so a head split over
/// any number of reads resumes where it stopped and nothing is scanned twice; then it parses the
/// contiguous head into offsets. One instance per connection; it allocates nothing per request.
/// </summary>
public sealed partial class HttpRequestParser(HttpLimits limits)
{
    private const int CopyChunk = 2048;

    private readonly int _capacity = limits.MaxRequestLineBytes + limits.MaxRequestHeadersBytes + 4;
    private int _filled;
    private int _lineStart;
    private int _requestLineEnd = -1;
    private int _lines;

    /// <summary>Number of head bytes seen so far for the request being read (0 before its first byte).</summary>
    public int BytesSeen => _filled;

    /// <summary>Forgets the scan state; call before reading each new request.</summary>
    public void Reset()
    {
        _filled = 0;
        _lineStart = 0;
        _requestLineEnd = -1;
        _lines = 0;
    }

    /// <summary>
    /// Scans <paramref name="buffer"/> (all unconsumed bytes, starting at the request's first byte) for a complete head.
    /// On <see cref="HeadStatus.Complete"/>, <paramref name="headLength"/> bytes of the buffer form the head.
    /// </summary>
    public HeadStatus TryReadHead(in ReadOnlySequence<byte> buffer, RequestHead head, out int headLength, out RequestError? error)
    {
        headLength = 0;
        error = null;
        while (_filled < buffer.Length && _filled < _capacity)
        {
            var chunk = (int)Math.Min(Math.Min(CopyChunk, buffer.Length - _filled), _capacity - _filled);
            head.EnsureBuffer(_filled + chunk, _filled);
            buffer.Slice(_filled, chunk).CopyTo(head.Buffer.AsSpan(_filled));
            var scanFrom = _filled;
            _filled += chunk;
            var status = Scan(head.Buffer, scanFrom, out headLength, out error);
            if (status != HeadStatus.Incomplete)
            {
                return status == HeadStatus.Complete ? Parse(head, headLength, out error) : status;
            }
        }

        error = LimitExceeded();
        return error is null ? HeadStatus.Incomplete : HeadStatus.Error;
    }

    private HeadStatus Scan(byte[] bytes, int from, out int headLength, out RequestError? error)
    {
        headLength = 0;
        error = null;
        var position = from;
        while (true)
        {
            var found = bytes.AsSpan(position, _filled - position).IndexOf((byte)'\n');
            if (found < 0)
            {
                return HeadStatus.Incomplete;
            }

            var lf = position + found;
            if (lf == 0 || bytes[lf - 1] != (byte)'\r')
            {
                error = RequestError.BareLineFeed;
                return HeadStatus.Error;
            }

            var lineLength = lf - 1 - _lineStart;
            if (_requestLineEnd < 0)
            {
                if (lineLength > limits.MaxRequestLineBytes)
                {
                    error = RequestError.RequestLineTooLong;
                    return HeadStatus.Error;
                }

                _requestLineEnd = lf + 1;
            }
            else if (lineLength == 0)
            {
                headLength = lf + 1;
                return HeadStatus.Complete;
            }
            else if (++_lines > limits.MaxRequestHeaderCount)
            {
                error = RequestError.TooManyHeaders;
                return HeadStatus.Error;
            }

            if (_requestLineEnd >= 0 && lf + 1 - _requestLineEnd > limits.MaxRequestHeadersBytes + 2)
            {
                error = RequestError.HeadersTooLarge;
                return HeadStatus.Error;
            }

            _lineStart = lf + 1;
            position = lf + 1;
        }
    }

    private RequestError? LimitExceeded()
    {
        if (_requestLineEnd < 0)
        {
            return _filled - _lineStart > limits.MaxRequestLineBytes + 1 ? RequestError.RequestLineTooLong : null;
        }

        return _filled - _requestLineEnd >= limits.MaxRequestHeadersBytes + 2 ? RequestError.HeadersTooLarge : null;
    }
}
