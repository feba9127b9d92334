using Gateway.Core.Http;

namespace Gateway.Core.Upstreams;

/// <summary>The grammar half of the upstream response head: status line, field lines and framing rules.</summary>
internal sealed partial class UpstreamResponseHead
{
    private ResponseHeadStatus Parse(ReadOnlySpan<byte> head)
    {
        FieldCount = 0;
        _connectionTokenCount = 0;
        ContentLength = -1;
        Chunked = false;
        Problem = null;
        var lineEnd = head.IndexOf("\r\n"u8);
        if (!ParseStatusLine(head[..lineEnd]))
        {
            return Refuse("the status line is malformed");
        }

        if (Status == 101 && !UpgradeRequested)
        {
            return Refuse("it switches protocols, and the gateway asked for no upgrade");
        }

        var close = false;
        var keepAliveOption = false;
        var transferEncodings = 0;
        var upgrades = 0;
        var websocket = false;
        var position = lineEnd + 2;
        var end = head.Length - 2;
        while (position < end)
        {
            lineEnd = position + head[position..].IndexOf("\r\n"u8);
            var line = head[position..lineEnd];
            var parsed = default(HeaderField);
            switch (HttpSyntax.ReadFieldLine(line, position, ref parsed))
            {
                case FieldLineError.Folded:
                    return Refuse("a field line is folded (obs-fold)");
                case FieldLineError.NotNameValue:
                    return Refuse("a field line is not name: value");
                case FieldLineError.ControlByte:
                    return Refuse("a field value holds a control byte");
            }

            if (FieldCount == MaxFields)
            {
                return Refuse("the response has more than 256 fields");
            }

            var index = AddField();
            ref var field = ref _fields[index];
            field = parsed;
            var value = head.Slice(parsed.ValueStart, parsed.ValueLength);
            field.Known = HeaderRules.Identify(line[..parsed.NameLength]);
            field.HopByHop = !HeaderRules.RelaysInResponse(field.Known);
            switch (field.Known)
            {
                case KnownHeader.ContentLength when !TryAddContentLength(value):
                    return Refuse("Content-Length is not one non-negative number");
                case KnownHeader.TransferEncoding:
                    transferEncodings++;
                    break;
                case KnownHeader.Connection when !ReadConnectionOptions(field.ValueStart, value, ref close, ref keepAliveOption):
                    return Refuse("Connection is not a list of tokens");
                case KnownHeader.Upgrade:
                    upgrades++;
                    websocket = HttpSyntax.EqualsIgnoreCase(value, "websocket"u8);
                    break;
            }

            position = lineEnd + 2;
        }

        if (Status == 101 && (upgrades != 1 || !websocket || transferEncodings > 0 || ContentLength >= 0))
        {
            return Refuse(upgrades != 1 || !websocket ? "it switches protocols without Upgrade: websocket" : "a 101 carries body framing");
        }

        if (transferEncodings > 0)
        {
            if (transferEncodings > 1 || !HttpSyntax.EqualsIgnoreCase(ValueOf(IndexOf(KnownHeader.TransferEncoding)), "chunked"u8))
            {
                return Refuse("Transfer-Encoding is not exactly chunked");
            }

            if (ContentLength >= 0 || Http10)
            {
                return Refuse(Http10 ? "an HTTP/1.0 response uses Transfer-Encoding" : "the response has both Content-Length and Transfer-Encoding");
            }

            Chunked = true;
        }

        KeepAlive = !close && (!Http10 || keepAliveOption);
        HideFieldsNamedInConnection();
        return ResponseHeadStatus.Complete;
    }

    /// <summary>status-line = HTTP-version SP 3DIGIT SP reason-phrase; the reason (and the SP before it) may be missing.</summary>
    private bool ParseStatusLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[7] is not ((byte)'0' or (byte)'1') || line[8] != ' ')
        {
            return false;
        }

        Http10 = line[7] == '0';
        var code = line.Slice(9, 3);
        if (!HttpSyntax.TryParseDecimal(code, out var status) || status is < 100 or > 599)
        {
            return false;
        }

        Status = (int)status;
        if (line.Length == 12)
        {
            _reason = default;
            return true;
        }

        if (line[12] != ' ' || line[13..].ContainsAny(HttpSyntax.ForbiddenInFieldValue))
        {
            return false;
        }

        _reason = new Range(13, line.Length);
        return true;
    }

    /// <summary>Folds one Content-Length value (a field may repeat it as a list) into <see cref="ContentLength"/>; false when it differs or is not 1*DIGIT.</summary>
    private bool TryAddContentLength(ReadOnlySpan<byte> value)
    {
        foreach (var member in value.Split((byte)','))
        {
            if (!HttpSyntax.TryParseDecimal(value[member].Trim(" \t"u8), out var length) || (ContentLength >= 0 && length != ContentLength))
            {
                return false;
            }

            ContentLength = length;
        }

        return true;
    }

    /// <summary>Reads the Connection options: close, keep-alive, and the names of fields that must not be relayed.</summary>
    private bool ReadConnectionOptions(int valueStart, ReadOnlySpan<byte> value, ref bool close, ref bool keepAlive)
    {
        foreach (var member in value.Split((byte)','))
        {
            var raw = value[member];
            var token = raw.Trim(" \t"u8);
            if (token.IsEmpty)
            {
                continue;
            }

            if (!HttpSyntax.IsToken(token))
            {
                return false;
            }

            if (HttpSyntax.EqualsIgnoreCase(token, "close"u8))
            {
                close = true;
            }
            else if (HttpSyntax.EqualsIgnoreCase(token, "keep-alive"u8))
            {
                keepAlive = true;
            }
            else
            {
                var start = valueStart + member.Start.Value + (raw.Length - raw.TrimStart(" \t"u8).Length);
                AddConnectionToken(new Range(start, start + token.Length));
            }
        }

        return true;
    }

    private void HideFieldsNamedInConnection()
    {
        for (var t = 0; t < _connectionTokenCount; t++)
        {
            var token = Buffer.AsSpan(_connectionTokens[t]);
            for (var i = 0; i < FieldCount; i++)
            {
                if (HttpSyntax.EqualsIgnoreCase(NameOf(i), token))
                {
                    _fields[i].HopByHop = true;
                }
            }
        }
    }

    private int IndexOf(KnownHeader known)
    {
        for (var i = 0; i < FieldCount; i++)
        {
            if (_fields[i].Known == known)
            {
                return i;
            }
        }

        return -1;
    }
}
