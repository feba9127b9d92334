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

    [Fact]
    public void CommonLogFormatLine()
    {
        var buffer = new ArrayBufferWriter<byte>();

        AccessLogFormatter.WriteCommon(buffer, Record());

        Assert.Equal("10.1.2.3 - - [27/Nov/2026:22:34:02 +0000] \"POST /users/7?x=\"1\" HTTP/1.1\" 201 450", Encoding.ASCII.GetString(buffer.WrittenSpan));
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
