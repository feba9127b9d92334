using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Gateway.Core.Http;

/// <summary>The body of an RFC 9457 problem the gateway answers with, on the public listeners and the admin listener alike.</summary>
public static class ProblemJson
{
    /// <summary>Writes the problem object: type, title (the status's reason phrase), status and detail.</summary>
    public static void Write(Utf8JsonWriter json, int status, string detail)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "about:blank");
        json.WriteString("title"u8, ReasonPhrases.GetReasonPhrase(status));
        json.WriteNumber("status"u8, status);
        json.WriteString("detail"u8, detail);
        json.WriteEndObject();
    }
}
