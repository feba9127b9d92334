using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Core.Tests.RateLimiting;

/// <summary>A throwaway <c>redis-server</c> on a free loopback port, without persistence, that a test can kill and restart.</summary>
internal sealed class RedisServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string of the server.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Starts a server on a free port and waits until it answers PING.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var server = new RedisServer(port);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server again on the same port (empty: nothing is saved) and waits until it answers PING.</summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!await AnswersPingAsync())
        {
            if (_process.HasExited || deadline.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not come up (exit code {(_process.HasExited ? _process.ExitCode : "none")})");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Kills the server at once, as a crash would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var reply = new byte[7];
            var read = await stream.ReadAsync(reply);
            return Encoding.ASCII.GetString(reply, 0, read) == "+PONG\r\n";
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
