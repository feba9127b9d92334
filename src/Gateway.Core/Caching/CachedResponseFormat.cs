using System.Text;
using Gateway.Core.Http;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Caching;

/// <summary>Writes a stored entry as bytes for the shared Redis tier and reads it back (a version byte first: an entry in another format is skipped, never misread).</summary>
internal static class CachedResponseFormat
{
    private const byte Version = 1;

    /// <summary>The bytes of <paramref name="entry"/>.</summary>
    public static byte[] Write(CachedResponse entry)
    {
        using var stream = new MemoryStream(entry.Response.Body.Length + entry.Response.Fields.Lines.Length + 256);
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(entry.Response.Status);
            writer.Write(entry.ReceivedAt);
            writer.Write(entry.InitialAge);
            writer.Write(entry.Lifetime);
            writer.Write(entry.StaleWhileRevalidate);
            writer.Write(entry.StaleIfError);
            writer.Write(entry.MustRevalidate);
            writer.Write(entry.Vary.Names.Length);
            for (var i = 0; i < entry.Vary.Names.Length; i++)
            {
                writer.Write(entry.Vary.Names[i]);
                writer.Write(entry.Vary.ValueAt(i) is { } value);
                writer.Write(entry.Vary.ValueAt(i) ?? "");
            }

            var fields = entry.Response.Fields;
            writer.Write(fields.Count);
            for (var i = 0; i < fields.Count; i++)
            {
                WriteBytes(writer, fields.NameOf(i));
                WriteBytes(writer, fields.ValueOf(i));
            }

            WriteBytes(writer, entry.Response.Body.Span);
        }

        return stream.ToArray();
    }

    /// <summary>The entry in <paramref name="bytes"/>, or null when they are not one this version wrote.</summary>
    public static CachedResponse? Read(byte[] bytes)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            if (reader.ReadByte() != Version)
            {
                return null;
            }

            var status = reader.ReadInt32();
            var (receivedAt, initialAge, lifetime, staleWhileRevalidate, staleIfError) =
                (reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
            var mustRevalidate = reader.ReadBoolean();
            var names = new string[reader.ReadInt32()];
            var values = new string?[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = reader.ReadString();
                var present = reader.ReadBoolean();
                var value = reader.ReadString();
                values[i] = present ? value : null;
            }

            var fields = new FieldList(512);
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                fields.Add(ReadBytes(reader), ReadBytes(reader));
            }

            var plan = new StoragePlan(lifetime, initialAge, staleWhileRevalidate, staleIfError, mustRevalidate, names.Length == 0 ? VaryValues.Nothing : new VaryValues(names, values));
            return EntryBuilder.Build(plan, status, fields, ReadBytes(reader), receivedAt);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException or FormatException)
        {
            return null;
        }
    }

    private static void WriteBytes(BinaryWriter writer, ReadOnlySpan<byte> bytes)
    {
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader reader) => reader.ReadBytes(reader.ReadInt32());
}
