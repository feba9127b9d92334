using System.Net.Http;
using System.Text;

namespace Gateway.Core.Upstreams;

/// <summary>
/// A cluster's active health checks: every interval, a GET of the health path on each destination over a connection of
/// its own (closed after the answer), with the cluster's TLS. A status in the expected range within the timeout passes;
/// anything else (no connection, a reset, a malformed or late answer) fails. A probe still running is not started again.
/// An h2c or h2 cluster is probed over HTTP/2, on connections the prober keeps apart from the requests'.
/// </summary>
internal sealed class HealthProber : IDisposable
{
    /// <summary>The fields of an HTTP/2 probe (the HTTP/1.1 probe writes the same).</summary>
    private static readonly List<(string Name, string Value)> ProbeFields = [("User-Agent", "gateway-health-check")];

    private readonly Destination[] _destinations;
    private readonly HealthProbeSettings _settings;
    private readonly byte[][] _requests;
    private readonly int[] _running;
    private readonly CancellationTokenSource _stopped = new();
    private readonly Lock _recording = new();
    private readonly Timer _timer;
    private readonly Http2Upstream? _http2;
    private bool _disposed;

    /// <summary>Probes <paramref name="destinations"/> with <paramref name="settings"/> in <paramref name="protocol"/>, the first time at once.</summary>
    public HealthProber(Destination[] destinations, HealthProbeSettings settings, UpstreamProtocol protocol)
    {
        _http2 = protocol == UpstreamProtocol.Http1 ? null : new Http2Upstream(protocol, destinations[0].Pool, destinations[0].Tls);
        _destinations = destinations;
        _settings = settings;
        _running = new int[destinations.Length];
        _requests = [.. destinations.Select(d => Encoding.ASCII.GetBytes(
            $"GET {Encoding.ASCII.GetString(d.Endpoint.BasePath)}{settings.Path} HTTP/1.1\r\nHost: {Encoding.ASCII.GetString(d.Endpoint.HostField)}\r\n"
            + "User-Agent: gateway-health-check\r\nConnection: close\r\n\r\n"))];
        _timer = new Timer(static state => ((HealthProber)state!).ProbeAll(), this, TimeSpan.Zero, settings.Interval);
    }

    /// <summary>Stops probing; a probe still running records nothing.</summary>
    public void Dispose()
    {
        lock (_recording)
        {
            _disposed = true;
        }

        _timer.Dispose();
        _stopped.Cancel();
        _http2?.Release();
    }

    private void ProbeAll()
    {
        for (var i = 0; i < _destinations.Length; i++)
        {
            if (!_stopped.IsCancellationRequested && Interlocked.Exchange(ref _running[i], 1) == 0)
            {
                _ = ProbeAsync(i);
            }
        }
    }

    private async Task ProbeAsync(int index)
    {
        var destination = _destinations[index];
        var passed = false;
        try
        {
            passed = _http2 is null
                ? await PassesAsync(destination, _requests[index]).ConfigureAwait(false)
                : await PassesHttp2Async(destination, _http2).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException or HttpRequestException)
        {
            // No answer in time: the probe failed.
        }
        finally
        {
            Volatile.Write(ref _running[index], 0);
        }

        lock (_recording)
        {
            if (!_disposed)
            {
                destination.Health.RecordProbe(passed, _settings.HealthyAfter, _settings.UnhealthyAfter);
            }
        }
    }

    private async Task<bool> PassesAsync(Destination destination, byte[] request)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopped.Token);
        timeout.CancelAfter(_settings.Timeout);
        using var connection = await UpstreamConnection.ConnectAsync(destination.Endpoint, destination.Tls, _settings.Timeout, destination.Pool.Transport, timeout.Token).ConfigureAwait(false);
        await connection.Output.WriteAsync(request, timeout.Token).ConfigureAwait(false);
        using var response = new UpstreamResponseHead();
        while (true)
        {
            var read = await connection.Input.ReadAsync(timeout.Token).ConfigureAwait(false);
            var status = response.TryParse(read.Buffer);
            if (status == ResponseHeadStatus.Complete)
            {
                if (response.Status >= 200)
                {
                    return _settings.ExpectedStatus.Contains(response.Status);
                }

                connection.Input.AdvanceTo(read.Buffer.GetPosition(response.Length));
                continue;
            }

            if (status == ResponseHeadStatus.Malformed || read.IsCompleted)
            {
                return false;
            }

            connection.Input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private async Task<bool> PassesHttp2Async(Destination destination, Http2Upstream transport)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopped.Token);
        timeout.CancelAfter(_settings.Timeout);
        using var request = Http2Messages.Request(HttpMethod.Get, new Uri(destination.Address + _settings.Path), null, ProbeFields);
        using var response = await transport.SendAsync(request, timeout.Token).ConfigureAwait(false);
        return _settings.ExpectedStatus.Contains((int)response.StatusCode);
    }
}
