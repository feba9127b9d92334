namespace Gateway.Core.Configuration;

/// <summary>The one check of an upstream destination URL, shared by the file, the environment and GATEWAY_UPSTREAM.</summary>
internal static class DestinationUrl
{
    /// <summary>Returns what is wrong with <paramref name="text"/> as a destination, or null when it is an absolute http(s) URL with a host and nothing but an optional path after it.</summary>
    public static string? FindProblem(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "a destination URL must not be empty";
        }

        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return $"\"{text}\" must not contain spaces or control characters";
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || !text.Contains("://", StringComparison.Ordinal))
        {
            return $"\"{text}\" is not an absolute http:// or https:// URL";
        }

        if (uri.Host.Length == 0)
        {
            return $"\"{text}\" has no host";
        }

        if (uri.Port == 0)
        {
            return $"\"{text}\" has port 0";
        }

        if (text.Contains('?', StringComparison.Ordinal))
        {
            return $"\"{text}\" must not have a query (\"?...\")";
        }

        if (text.Contains('#', StringComparison.Ordinal))
        {
            return $"\"{text}\" must not have a fragment (\"#...\")";
        }

        var authority = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..].Split('/')[0];
        return authority.Contains('@', StringComparison.Ordinal) ? $"\"{text}\" must not contain user info (\"user@\")" : null;
    }
}
