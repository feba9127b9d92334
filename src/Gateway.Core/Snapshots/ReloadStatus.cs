using System.Text.Json;

namespace Gateway.Core.Snapshots;

/// <summary>What the running configuration is and how the last reload went: what admin <c>GET /config</c> answers.</summary>
/// <param name="Version">The running configuration's version (<see cref="Configuration.ConfigVersion"/>).</param>
/// <param name="LoadedAt">When the running configuration was loaded.</param>
/// <param name="Source">Where it was read from.</param>
/// <param name="LastReload">The last reload, or null when there was none.</param>
public sealed record ReloadStatus(string Version, DateTimeOffset LoadedAt, string Source, ReloadAttempt? LastReload)
{
    /// <summary>Writes the status as a JSON object.</summary>
    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("version"u8, Version);
        json.WriteString("loadedAt"u8, LoadedAt);
        json.WriteString("source"u8, Source);
        if (LastReload is { } last)
        {
            json.WriteStartObject("lastReload"u8);
            json.WriteString("at"u8, last.At);
            json.WriteString("trigger"u8, last.Trigger);
            json.WriteString("result"u8, last.Error is null ? "ok" : "rejected");
            json.WriteString("error"u8, last.Error);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("lastReload"u8);
        }

        json.WriteEndObject();
    }
}

/// <summary>One reload: when it ran, what asked for it (file, SIGHUP, admin), and why it was refused (null when it was applied).</summary>
public sealed record ReloadAttempt(DateTimeOffset At, string Trigger, string? Error);
