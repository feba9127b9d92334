using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.ObjectPool;

namespace Gateway.Core.Observability;

/// <summary>A reusable buffer holding one formatted log line on its way to the writer; pooled, so logging allocates nothing.</summary>
internal sealed class AccessLogLine
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Creates an empty line.</summary>
    public AccessLogLine() => Json = new Utf8JsonWriter(Buffer, JsonOptions);

    /// <summary>The formatted bytes.</summary>
    public ArrayBufferWriter<byte> Buffer { get; } = new(512);

    /// <summary>A JSON writer over <see cref="Buffer"/>.</summary>
    public Utf8JsonWriter Json { get; }

    /// <summary>Pool policy: lines are cleared on return.</summary>
    public sealed class Policy : PooledObjectPolicy<AccessLogLine>
    {
        /// <inheritdoc/>
        public override AccessLogLine Create() => new();

        /// <inheritdoc/>
        public override bool Return(AccessLogLine line)
        {
            line.Buffer.ResetWrittenCount();
            line.Json.Reset(line.Buffer);
            return true;
        }
    }
}
