using System.Collections.Concurrent;
using System.Net;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>
/// Clients that each keep one connection busy with request after request (GET /load/{client}/{n}) until stopped, counting
/// the answers by the upstream that gave them (<c>X-Upstream</c>) and noting every failure: a status other than 200, a
/// response that closes the connection, or a connection that broke.
/// </summary>
internal sealed class SteadyLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _served = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly List<Task> _clients;
    private int _answered;

    private SteadyLoad(IPEndPoint gateway, int clients) =>
        _clients = [.. Enumerable.Range(0, clients).Select(client => Task.Run(() => RunAsync(gateway, client)))];

    /// <summary>Answers so far, failures included.</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>What went wrong so far, one line each.</summary>
    public IReadOnlyList<string> Failures => [.. _failures];

    /// <summary>200 answers so far from the upstream named <paramref name="name"/>.</summary>
    public int ServedBy(string name) => _served.GetValueOrDefault(name);

    /// <summary>Starts <paramref name="clients"/> clients against <paramref name="gateway"/>.</summary>
    public static SteadyLoad Start(IPEndPoint gateway, int clients) => new(gateway, clients);

    /// <summary>Waits until <paramref name="count"/> more answers arrived than when called.</summary>
    public Task AnswersAsync(int count, string what)
    {
        var target = Answered + count;
        return Wait.UntilAsync(() => Answered >= target || _clients.All(client => client.IsCompleted), what);
    }

    /// <summary>Stops the clients after their current request.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        _stop.Dispose();
    }

    private async Task RunAsync(IPEndPoint gateway, int client)
    {
        await using var connection = await RawConnection.OpenAsync(gateway);
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            try
            {
                await connection.SendAsync($"GET /load/{client}/{n} HTTP/1.1\r\nHost: gateway\r\n\r\n");
                var response = await connection.ReadResponseAsync();
                Interlocked.Increment(ref _answered);
                if (response.Status != 200 || response.ConnectionHas("close"))
                {
                    _failures.Enqueue($"client {client} request {n}: {response.Status} {response.BodyText}{(response.ConnectionHas("close") ? " (connection closed)" : "")}");
                    if (response.ConnectionHas("close"))
                    {
                        return;
                    }

                    continue;
                }

                _served.AddOrUpdate(response.Header("X-Upstream") ?? "?", 1, (_, count) => count + 1);
            }
            catch (Exception ex) when (ex is IOException or TimeoutException or InvalidDataException)
            {
                _failures.Enqueue($"client {client} request {n}: {ex.GetType().Name}: {ex.Message}");
                return;
            }
        }
    }
}
