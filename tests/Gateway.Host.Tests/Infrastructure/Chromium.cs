using System.Diagnostics;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>Debian's headless Chromium, run as a command: the DOM of a page after its scripts ran.</summary>
internal static class Chromium
{
    private static readonly string[] Names = ["chromium", "chromium-browser"];

    /// <summary>The chromium executable on PATH, or null when it is not installed.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => Names.Select(name => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);

    /// <summary>Loads <paramref name="url"/> in a fresh headless profile and returns the serialized DOM once the page has loaded.</summary>
    public static async Task<string> DumpDomAsync(string chromium, string url)
    {
        var profile = Directory.CreateTempSubdirectory("chromium-");
        try
        {
            var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={profile.FullName}", "--dump-dom", url])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var dom = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();

            // A guard against a browser that hangs, not a timing assumption: loading a local page takes well under a second.
            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(guard.Token);
            Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {await errors}");
            return await dom;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
