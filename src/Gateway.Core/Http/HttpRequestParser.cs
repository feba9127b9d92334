using System.Buffers;

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
    private static readonly SearchValues<byte> VersionChars = SearchValues.Create("0123456789."u8);

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

        error = LimitExceeded(head.Buffer);
        return error is null ? HeadStatus.Incomplete : HeadStatus.Error;
    }

    /// <summary>
    /// What the request line of a head that was refused says, as far as it goes, for the access log: the method when the first
    /// word is a token of at most 32 bytes, and the protocol when the line ended and its last word is <c>HTTP/</c> and a version.
    /// Both are ranges in <paramref name="head"/>'s buffer, empty when unknown.
    /// </summary>
    public void DescribeRefusedLine(RequestHead head, out Range method, out Range protocol)
    {
        method = protocol = default;
        var seen = head.Buffer.AsSpan(0, _filled);
        var lineEnd = seen.IndexOf((byte)'\n');
        var line = (lineEnd < 0 ? seen : seen[..lineEnd]).TrimEnd((byte)'\r');
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace is > 0 and <= 32 && HttpSyntax.IsToken(line[..firstSpace]))
        {
            method = new Range(0, firstSpace);
        }

        var lastSpace = line.LastIndexOf((byte)' ');
        var version = line[(lastSpace + 1)..];
        if (lineEnd >= 0 && lastSpace > firstSpace && version.Length is > 5 and <= 12 && version.StartsWith("HTTP/"u8)
            && !version[5..].ContainsAnyExcept(VersionChars))
        {
            protocol = new Range(lastSpace + 1, line.Length);
        }
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

            // Limits first, then the line ending: whether the bytes came in one read or one at a time, a line that
            // already broke a limit before its LF arrived is answered with the limit's status.
            var bareLineFeed = lf == 0 || bytes[lf - 1] != (byte)'\r';
            var lineLength = lf - (bareLineFeed ? 0 : 1) - _lineStart;
            if (_requestLineEnd < 0)
            {
                if (lineLength > limits.MaxRequestLineBytes)
                {
                    error = RequestLineTooLong(bytes);
                    return HeadStatus.Error;
                }
            }
            else if (lineLength > 0)
            {
                if (++_lines > limits.MaxRequestHeaderCount)
                {
                    error = RequestError.TooManyHeaders;
                    return HeadStatus.Error;
                }

                // The header limit counts the field lines with their CRLFs, not the empty line that ends the head.
                if (lf + 1 - _requestLineEnd > limits.MaxRequestHeadersBytes)
                {
                    error = RequestError.HeadersTooLarge;
                    return HeadStatus.Error;
                }
            }

            if (bareLineFeed)
            {
                error = RequestError.BareLineFeed;
                return HeadStatus.Error;
            }

            if (_requestLineEnd < 0)
            {
                _requestLineEnd = lf + 1;
            }
            else if (lineLength == 0)
            {
                headLength = lf + 1;
                return HeadStatus.Complete;
            }

            _lineStart = lf + 1;
            position = lf + 1;
        }
    }

    private RequestError? LimitExceeded(byte[] bytes)
    {
        // No LF in sight: the limit is passed once the bytes so far, less a final CR that may yet end the line,
        // are more than the limit allows (so a line that never ends is refused as soon as it is too long).
        var seen = _filled > 0 && bytes[_filled - 1] == (byte)'\r' ? _filled - 1 : _filled;
        if (_requestLineEnd < 0)
        {
            return seen - _lineStart > limits.MaxRequestLineBytes ? RequestLineTooLong(bytes) : null;
        }

        return seen - _requestLineEnd > limits.MaxRequestHeadersBytes ? RequestError.HeadersTooLarge : null;
    }

    /// <summary>
    /// The error for a request line over the limit: 414 when the target is what runs long, but 400 when the method has not
    /// even ended within the limit (no space yet): that is not a request with a long URI.
    /// </summary>
    private RequestError RequestLineTooLong(byte[] bytes) =>
        bytes.AsSpan(0, Math.Min(_filled, limits.MaxRequestLineBytes + 1)).Contains((byte)' ') ? RequestError.RequestLineTooLong : RequestError.MethodTooLong;
}
