using System.Globalization;
using Gateway.LoadTests.Hosting;
using Gateway.LoadTests.Load;
using Gateway.LoadTests.Reports;

namespace Gateway.LoadTests.Recording;

/// <summary>
/// Samples the gateway process's memory while load runs: its resident memory from the process, and the garbage
/// collector's figures from the gateway's own <c>/metrics</c> (scraped on the admin listener, off the load's path).
/// </summary>
internal sealed class MemorySampler(GatewayProcess gateway, RunClock clock, TimeSpan interval)
{
    private static readonly TimeSpan ScrapeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Takes a sample now and then one every interval until <paramref name="stop"/>; returns them.</summary>
    public async Task<IReadOnlyList<MemorySample>> RunAsync(CancellationToken stop)
    {
        var samples = new List<MemorySample>();
        using var client = new HttpClient { Timeout = ScrapeTimeout };
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                samples.Add(await SampleAsync(client, stop).ConfigureAwait(false));
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The load is over.
        }

        return samples;
    }

    private async Task<MemorySample> SampleAsync(HttpClient client, CancellationToken stop)
    {
        const double MiB = 1024 * 1024;
        var second = clock.Elapsed.TotalSeconds;
        var rss = gateway.ResidentBytes / MiB;
        try
        {
            var text = await client.GetStringAsync(new Uri(gateway.Admin, "/metrics"), stop).ConfigureAwait(false);
            return new MemorySample(second, rss, Value(text, "dotnet_gc_heap_size_bytes") / MiB, Value(text, "dotnet_gc_committed_bytes") / MiB);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
        {
            return new MemorySample(second, rss, null, null);
        }
    }

    /// <summary>The value of the unlabelled series <paramref name="name"/> in Prometheus text, or null.</summary>
    internal static double? Value(string text, string name)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(name) && line.Length > name.Length && line[name.Length] == ' '
                && double.TryParse(line[(name.Length + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return null;
    }
}
