using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IdleClients;

// Holds idle keep-alive connections to one HTTP/1.1 server, driven by one command per line on standard input, each
// answered by one line on standard output:
//   open N    opens N more connections, at most 64 at a time; each sends one GET and reads its 200, then stays idle:
//             "opened OK FAILED MILLISECONDS"
//   probe K   a new connection sends K GETs one after the other: "probe FIRST_US MEDIAN_US P99_US MAX_US" (the first
//             includes the connect)
//   use       one more GET on every held connection, at most 64 at a time (they must all still answer): "used OK FAILED"
//   close     closes every held connection and exits: "closed"
// Usage: idle-clients PORT [DEADLINE_SECONDS]; past the deadline (default 900 s) the process exits with status 2.
if (args.Length is < 1 or > 2 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var port))
{
    await Console.Error.WriteLineAsync("usage: idle-clients PORT [DEADLINE_SECONDS]").ConfigureAwait(false);
    return 64;
}

var deadline = TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 900);
using var expired = new CancellationTokenSource(deadline);
expired.Token.Register(() =>
{
    Console.Error.WriteLine($"idle-clients: deadline of {deadline.TotalSeconds} s passed");
    Environment.Exit(2);
});

var endPoint = new IPEndPoint(IPAddress.Loopback, port);
var request = Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: idle-clients\r\n\r\n");
var held = new List<Socket>();
string? line;
while ((line = Console.ReadLine()) is not null)
{
    var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    var count = words.Length > 1 ? int.Parse(words[1], CultureInfo.InvariantCulture) : 0;
    switch (words.FirstOrDefault())
    {
        case "open":
            var watch = Stopwatch.StartNew();
            var opened = await OpenAsync(count).ConfigureAwait(false);
            held.AddRange(opened);
            Console.WriteLine($"opened {opened.Count} {count - opened.Count} {watch.ElapsedMilliseconds}");
            break;
        case "probe":
            Console.WriteLine(await ProbeAsync(count).ConfigureAwait(false));
            break;
        case "use":
            var answered = await UseAsync().ConfigureAwait(false);
            var ok = answered.Count(a => a);
            Console.WriteLine($"used {ok} {held.Count - ok}");
            break;
        case "close":
            held.ForEach(s => s.Dispose());
            Console.WriteLine("closed");
            return 0;
        default:
            await Console.Error.WriteLineAsync($"idle-clients: unknown command '{line}'").ConfigureAwait(false);
            return 64;
    }
}

held.ForEach(s => s.Dispose());
return 0;

// Opens count connections, at most 64 connecting at once (the listen backlog is finite); keeps those whose GET got a 200.
async Task<List<Socket>> OpenAsync(int total)
{
    var result = new List<Socket>(total);
    using var gate = new SemaphoreSlim(64);
    var tasks = Enumerable.Range(0, total).Select(async _ =>
    {
        await gate.WaitAsync(expired.Token).ConfigureAwait(false);
        try
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endPoint, expired.Token).ConfigureAwait(false);
                if (await TryExchangeAsync(socket).ConfigureAwait(false))
                {
                    return socket;
                }
            }
            catch (SocketException)
            {
            }

            socket.Dispose();
            return null;
        }
        finally
        {
            gate.Release();
        }
    });
    foreach (var socket in await Task.WhenAll(tasks).ConfigureAwait(false))
    {
        if (socket is not null)
        {
            result.Add(socket);
        }
    }

    return result;
}

// One more GET on every held connection, at most 64 at once (as many at once would be a burst the upstream refuses).
async Task<bool[]> UseAsync()
{
    using var gate = new SemaphoreSlim(64);
    return await Task.WhenAll(held.Select(async socket =>
    {
        await gate.WaitAsync(expired.Token).ConfigureAwait(false);
        try
        {
            return await TryExchangeAsync(socket).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    })).ConfigureAwait(false);
}

async Task<bool> TryExchangeAsync(Socket socket)
{
    try
    {
        return await Exchange.RunAsync(socket, request, expired.Token).ConfigureAwait(false);
    }
    catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException)
    {
        return false;
    }
}

// K GETs on one new connection, one after the other; the first's time includes the connect.
async Task<string> ProbeAsync(int requests)
{
    var micros = new double[Math.Max(requests, 1)];
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    var watch = Stopwatch.StartNew();
    await socket.ConnectAsync(endPoint, expired.Token).ConfigureAwait(false);
    for (var i = 0; i < micros.Length; i++)
    {
        if (!await TryExchangeAsync(socket).ConfigureAwait(false))
        {
            return $"probe-failed {i}";
        }

        micros[i] = watch.Elapsed.TotalMicroseconds;
        watch.Restart();
    }

    var first = micros[0];
    Array.Sort(micros);
    return string.Create(
        CultureInfo.InvariantCulture,
        $"probe {first:F0} {micros[micros.Length / 2]:F0} {micros[(int)(micros.Length * 0.99)]:F0} {micros[^1]:F0}");
}
