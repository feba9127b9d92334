using System.Globalization;
using System.Text;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>Buffered reads of HTTP/1.1 wire elements (CRLF lines, exact byte counts, chunked bodies, everything until close) from a stream.</summary>
internal sealed class WireReader(Stream stream)
{
    private const int MaxLine = 256 * 1024;

    private readonly byte[] _buffer = new byte[MaxLine];
    private int _start;
    private int _end;

    /// <summary>Bytes received but not consumed yet.</summary>
    public int Buffered => _end - _start;

    /// <summary>Reads one line ending in CRLF and returns it without the CRLF (as Latin-1); null when the stream ends cleanly before the line starts.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var lf = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var end = _start + scanned + lf;
                if (end == _start || _buffer[end - 1] != (byte)'\r')
                {
                    throw new InvalidDataException("A line ended with a bare LF.");
                }

                var line = Encoding.Latin1.GetString(_buffer, _start, end - 1 - _start);
                _start = end + 1;
                return line;
            }

            scanned = _end - _start;
            if (!await FillAsync(cancellationToken))
            {
                return _end == _start ? null : throw new EndOfStreamException("The stream ended in the middle of a line.");
            }
        }
    }

    /// <summary>Reads a line that must be there.</summary>
    public async Task<string> ReadRequiredLineAsync(CancellationToken cancellationToken) =>
        await ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("The stream ended where a line was expected.");

    /// <summary>Copies exactly <paramref name="count"/> bytes to <paramref name="destination"/>.</summary>
    public async Task CopyExactAsync(Stream destination, long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new EndOfStreamException($"The stream ended {count} bytes early.");
            }

            var take = (int)Math.Min(count, _end - _start);
            await destination.WriteAsync(_buffer.AsMemory(_start, take), cancellationToken);
            _start += take;
            count -= take;
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    public async Task<byte[]> ReadExactAsync(long count, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await CopyExactAsync(body, count, cancellationToken);
        return body.ToArray();
    }

    /// <summary>Reads everything until the peer closes.</summary>
    public async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        do
        {
            await body.WriteAsync(_buffer.AsMemory(_start, _end - _start), cancellationToken);
            _start = _end;
        }
        while (await FillAsync(cancellationToken));

        return body.ToArray();
    }

    /// <summary>
    /// Decodes a chunked body strictly (hex size lines with no extensions allowed when <paramref name="allowExtensions"/> is false,
    /// CRLF after each chunk's data, trailer section) into <paramref name="destination"/>; returns the number of data chunks.
    /// </summary>
    public async Task<int> ReadChunkedAsync(Stream destination, bool allowExtensions, CancellationToken cancellationToken, Stream? rawCopy = null)
    {
        var chunks = 0;
        while (true)
        {
            var sizeLine = await ReadRequiredLineAsync(cancellationToken);
            await CopyLineAsync(rawCopy, sizeLine, cancellationToken);
            var semicolon = sizeLine.IndexOf(';', StringComparison.Ordinal);
            if (semicolon >= 0 && !allowExtensions)
            {
                throw new InvalidDataException($"Unexpected chunk extension in \"{sizeLine}\".");
            }

            var sizeText = semicolon >= 0 ? sizeLine[..semicolon] : sizeLine;
            if (sizeText.Length == 0 || !long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size))
            {
                throw new InvalidDataException($"Malformed chunk size line \"{sizeLine}\".");
            }

            if (size == 0)
            {
                string trailer;
                do
                {
                    trailer = await ReadRequiredLineAsync(cancellationToken);
                    await CopyLineAsync(rawCopy, trailer, cancellationToken);
                }
                while (trailer.Length > 0);

                return chunks;
            }

            chunks++;
            if (rawCopy is null)
            {
                await CopyExactAsync(destination, size, cancellationToken);
            }
            else
            {
                var data = await ReadExactAsync(size, cancellationToken);
                await destination.WriteAsync(data, cancellationToken);
                await rawCopy.WriteAsync(data, cancellationToken);
            }

            var end = await ReadRequiredLineAsync(cancellationToken);
            await CopyLineAsync(rawCopy, end, cancellationToken);
            if (end.Length != 0)
            {
                throw new InvalidDataException("Chunk data was not followed by CRLF.");
            }
        }
    }

    /// <summary>Waits for the next bytes: true when some arrived, false when the peer closed (FIN or reset).</summary>
    public async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidDataException($"A single line is longer than {MaxLine} bytes.");
        }

        int read;
        try
        {
            read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        }
        catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset })
        {
            read = 0;
        }

        _end += read;
        return read > 0;
    }

    private static async Task CopyLineAsync(Stream? rawCopy, string line, CancellationToken cancellationToken)
    {
        if (rawCopy is not null)
        {
            await rawCopy.WriteAsync(Encoding.Latin1.GetBytes(line + "\r\n"), cancellationToken);
        }
    }
}
