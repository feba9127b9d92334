using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Core.Observability;

namespace Gateway.Core.Tests.Observability;

/// <summary>Access log lines carry every field, in JSON and in the common log format.</summary>
public sealed class AccessLogFormatterTests
{
    [Fact]
    public void JsonLineCarriesEveryField()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            AccessLogFormatter.WriteJson(json, Record());
        }

        using var line = JsonDocument.Parse(buffer.WrittenMemory);
        var root = line.RootElement;
        Assert.Equal("req-1", root.GetProperty("request_id").GetString());
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", root.GetProperty("trace_id").GetString());
        Assert.Equal("10.1.2.3", root.GetProperty("client_ip").GetString());
        Assert.Equal("POST", root.GetProperty("method").GetString());
        Assert.Equal("/users/7?x=\"1\"", root.GetProperty("path").GetString());
        Assert.Equal("HTTP/1.1", root.GetProperty("protocol").GetString());
        Assert.Equal("user", root.GetProperty("route").GetString());
        Assert.Equal(201, root.GetProperty("status").GetInt32());
        Assert.Equal("http://127.0.0.1:5101", root.GetProperty("upstream").GetString());
        Assert.Equal(12.5, root.GetProperty("duration_ms").GetDouble());
        Assert.Equal(10.25, root.GetProperty("upstream_ms").GetDouble());
        Assert.Equal(300, root.GetProperty("bytes_in").GetInt64());
        Assert.Equal(450, root.GetProperty("bytes_out").GetInt64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("consumer").ValueKind);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 22, 34, 2, TimeSpan.Zero), root.GetProperty("time").GetDateTimeOffset());
    }

    [Theory]
    [InlineData(12.5, "12.5")]
    [InlineData(0.7466, "0.747")]
    [InlineData(0.0004, "0")]
    [InlineData(3.0, "3")]
    [InlineData(1.05, "1.05")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.0995, "0.1")]
    [InlineData(65_432.1, "65432.1")]
    public void MillisecondsAreWrittenToTheMicrosecondWithoutTrailingZeros(double milliseconds, string expected)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            AccessLogFormatter.WriteMilliseconds(json, "duration_ms"u8, milliseconds);
            json.WriteNumber("next"u8, 1);
            json.WriteEndObject();
        }

        Assert.Equal($$"""{"duration_ms":{{expected}},"next":1}""", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void RequestThatNeverReachedAnUpstreamHasNullUpstreamFields()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var record = Record();
        record.Route = null;
        record.Upstream = null;
        record.UpstreamMilliseconds = -1;
        using (var json = new Utf8JsonWriter(buffer))
        {
            AccessLogFormatter.WriteJson(json, record);
        }

        using var line = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal(JsonValueKind.Null, line.RootElement.GetProperty("route").ValueKind);
        Assert.Equal(JsonValueKind.Null, line.RootElement.GetProperty("upstream_ms").ValueKind);
    }

    [Fact]
    public void ARequestRefusedBeforeItsMethodWasReadHasNullMethodPathAndProtocol()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var record = Record();
        record.Method = default;
        record.Path = default;
        record.Query = default;
        record.Protocol = default;
        using (var json = new Utf8JsonWriter(buffer))
        {
            AccessLogFormatter.WriteJson(json, record);
        }

        using var line = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal(JsonValueKind.Null, line.RootElement.GetProperty("method").ValueKind);
        Assert.Equal(JsonValueKind.Null, line.RootElement.GetProperty("path").ValueKind);
        Assert.Equal(JsonValueKind.Null, line.RootElement.GetProperty("protocol").ValueKind);
        Assert.Equal("req-1", line.RootElement.GetProperty("request_id").GetString());
        buffer.ResetWrittenCount();
        AccessLogFormatter.WriteCommon(buffer, record);
        Assert.Equal("10.1.2.3 - - [27/Nov/2026:22:34:02 +0000] \"- - -\" 201 450", Encoding.ASCII.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData("typical")]
    [InlineData("unknowns")]
    [InlineData("retried, with a consumer")]
    [InlineData("path without query")]
    public void PlainLineIsTheJsonWritersLineByteForByte(string variant)
    {
        var record = Record();
        record.Query = "?page=2&sort=desc"u8;
        record.Timestamp = new DateTimeOffset(2026, 12, 3, 17, 5, 9, TimeSpan.Zero).AddTicks(1_234_500);
        switch (variant)
        {
            case "unknowns":
                record.Method = default;
                record.Path = default;
                record.Query = default;
                record.Protocol = default;
                record.Route = null;
                record.Upstream = null;
                record.UpstreamMilliseconds = -1;
                break;
            case "retried, with a consumer":
                record.Tries = 2;
                record.Consumer = "mobile-app";
                record.Route = "";
                break;
            case "path without query":
                record.Query = default;
                break;
        }

        Assert.Equal(WriterLine(record), PlainLine(record));
    }

    [Theory]
    [InlineData("query")]
    [InlineData("route")]
    [InlineData("consumer")]
    [InlineData("path")]
    public void ALineWhoseTextNeedsEscapingIsLeftToTheJsonWriter(string field)
    {
        var record = Record();
        record.Query = default;
        switch (field)
        {
            case "query": record.Query = "?x=\"1\""u8; break;
            case "route": record.Route = "a\\b"; break;
            case "consumer": record.Consumer = "Zoë"; break;
            case "path": record.Path = "/a\tb"u8; break;
        }

        var buffer = new ArrayBufferWriter<byte>();

        Assert.False(PlainJsonLine.TryWrite(buffer, record));
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void EveryCharacterThePlainLineKeepsAsItIsTheJsonWriterKeepsToo()
    {
        for (var c = 0; c < 128; c++)
        {
            var record = Record();
            var path = new byte[] { (byte)'/', (byte)c };
            record.Path = path;
            record.Query = default;
            record.Consumer = $"{(char)c}";
            var buffer = new ArrayBufferWriter<byte>();
            if (PlainJsonLine.TryWrite(buffer, record))
            {
                Assert.Equal(WriterLine(record), Encoding.UTF8.GetString(buffer.WrittenSpan));
            }
            else
            {
                Assert.True(c is < 0x20 or '"' or '\\' or 0x7F, $"character {c} was left to the writer");
            }
        }
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(1_000_000L)]
    [InlineData(1_234_500L)]
    [InlineData(9_999_999L)]
    [InlineData(5_000_000L)]
    public void TimeIsWhatTheJsonWriterWritesForTheSameInstant(long ticksIntoTheSecond)
    {
        var time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(ticksIntoTheSecond);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStringValue(time);
        }

        Span<byte> text = stackalloc byte[AccessLogFormatter.TimeBytes];
        var length = AccessLogFormatter.FormatTime(text, time);

        Assert.Equal(Encoding.UTF8.GetString(buffer.WrittenSpan), $"\"{Encoding.UTF8.GetString(text[..length])}\"");
    }

    [Fact]
    public void CommonLogFormatLine()
    {
        var buffer = new ArrayBufferWriter<byte>();

        AccessLogFormatter.WriteCommon(buffer, Record());

        Assert.Equal("10.1.2.3 - - [27/Nov/2026:22:34:02 +0000] \"POST /users/7?x=\"1\" HTTP/1.1\" 201 450", Encoding.ASCII.GetString(buffer.WrittenSpan));
    }

    private static string WriterLine(scoped in AccessLogRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, AccessLog.JsonOptions))
        {
            AccessLogFormatter.WriteJson(json, record);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string PlainLine(scoped in AccessLogRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.True(PlainJsonLine.TryWrite(buffer, record));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static AccessLogRecord Record() => new()
    {
        Timestamp = new DateTimeOffset(2026, 11, 27, 22, 34, 2, TimeSpan.Zero),
        RequestId = "req-1"u8,
        TraceId = "0af7651916cd43dd8448eb211c80319c"u8,
        ClientAddress = "10.1.2.3",
        Method = "POST"u8,
        Path = "/users/7"u8,
        Query = "?x=\"1\""u8,
        Protocol = "HTTP/1.1"u8,
        Route = "user",
        Status = 201,
        Upstream = "http://127.0.0.1:5101",
        DurationMilliseconds = 12.5,
        UpstreamMilliseconds = 10.25,
        BytesIn = 300,
        BytesOut = 450,
    };
}
