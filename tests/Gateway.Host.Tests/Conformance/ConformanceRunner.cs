using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Conformance;

/// <summary>
/// Runs one <see cref="ConformanceCase"/> end to end through a gateway in front of a <see cref="WireUpstream"/>: the raw
/// input is sent whole, then once per split point as two writes with a flush and a 1 ms pause between (so the gateway
/// almost always reads them separately). Every run must read the expected statuses, close or stay open as expected (an open
/// connection must answer a probe request), and the upstream must receive exactly the expected requests, matched to
/// the client's responses by their X-Request-Id. Anything else that reaches the upstream during the case (a smuggled
/// request) fails it. Inputs up to <see cref="FullSplitLimit"/> bytes are split at every boundary; longer ones at every
/// boundary of the head and at a sample of body offsets (the run says so).
/// </summary>
internal sealed class ConformanceRunner(TestGateway gateway, WireUpstream upstream)
{
    /// <summary>Sent after the case's responses on a connection that should still be open.</summary>
    public const string ProbeRequest = "GET /__probe HTTP/1.1\r\nHost: probe\r\n\r\n";

    /// <summary>Inputs up to this many bytes are split at every byte boundary.</summary>
    public const int FullSplitLimit = 320;

    private const int SampledBodyOffsets = 24;
    private const int Parallelism = 4;

    /// <summary>The split points for <paramref name="input"/>, and whether the body offsets were only sampled.</summary>
    public static (List<int> Points, bool Sampled) SplitPoints(byte[] input)
    {
        if (input.Length <= FullSplitLimit)
        {
            return ([.. Enumerable.Range(1, Math.Max(0, input.Length - 1))], false);
        }

        var headEnd = input.AsSpan().IndexOf("\r\n\r\n"u8);
        var everyUpTo = Math.Min(input.Length - 1, headEnd < 0 ? FullSplitLimit : headEnd + 8);
        var points = new SortedSet<int>(Enumerable.Range(1, everyUpTo));
        for (var i = 1; i <= SampledBodyOffsets; i++)
        {
            points.Add(everyUpTo + (int)((long)(input.Length - 1 - everyUpTo) * i / SampledBodyOffsets));
        }

        for (var at = input.Length - 4; at < input.Length; at++)
        {
            points.Add(at);
        }

        return ([.. points], true);
    }

    /// <summary>Runs every way of sending <paramref name="c"/>; returns a one-line summary, or throws listing every failure.</summary>
    public async Task<string> RunAsync(ConformanceCase c)
    {
        var elapsed = Stopwatch.StartNew();
        var input = Encoding.Latin1.GetBytes(c.Raw);
        var (points, sampled) = SplitPoints(input);
        var requestsBefore = upstream.Requests.Count;
        var bytesBefore = upstream.BytesReceived;
        var runs = new ConcurrentQueue<Run>();
        var failures = new ConcurrentQueue<string>();
        int?[] variants = [null, .. points.Select(p => (int?)p)];
        await Parallel.ForEachAsync(variants, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (at, _) =>
        {
            var label = at is null ? "whole" : $"split at {at}";
            try
            {
                runs.Enqueue(await RunOnceAsync(c, input, at, label));
            }
            catch (Exception ex)
            {
                failures.Enqueue($"{label}: {ex.GetType().Name}: {ex.Message}");
            }
        });

        if (c.After == After.Close && c.Upstream.Kind != UpstreamKind.Forwarded)
        {
            // Nothing may reach the upstream late, after the client had its answer.
            await Task.Delay(20);
        }

        CheckUpstream(c, [.. runs], requestsBefore, bytesBefore, failures);
        if (!failures.IsEmpty)
        {
            var list = failures.Take(12).ToList();
            throw new Xunit.Sdk.XunitException(
                $"Case {c.Name}: {failures.Count} failure(s) over {variants.Length} runs:\n  " + string.Join("\n  ", list)
                + (failures.Count > list.Count ? $"\n  ... and {failures.Count - list.Count} more" : ""));
        }

        return $"{c.Name}: {input.Length} bytes, {variants.Length} runs (whole + {points.Count} splits"
            + $"{(sampled ? ", every boundary of the head and a sample of body offsets" : ", every boundary")}), {elapsed.ElapsedMilliseconds} ms";
    }

    private async Task<Run> RunOnceAsync(ConformanceCase c, byte[] input, int? at, string label)
    {
        await using var connection = await gateway.ConnectAsync();
        await connection.SendAsync(input.AsMemory(0, at ?? input.Length));
        if (at is { } split)
        {
            await Task.Delay(1);
            try
            {
                await connection.SendAsync(input.AsMemory(split));
            }
            catch (IOException)
            {
                // The gateway answered the first part already and closed; its answer is still there to read.
            }
        }

        if (c.EndOfInput)
        {
            try
            {
                connection.ShutdownSend();
            }
            catch (SocketException)
            {
                // Already closed by the gateway.
            }
        }

        var ids = new List<string>();
        RawResponse? last = null;
        var seen = new List<int>();
        RawResponse? unread = null;
        foreach (var expected in c.Statuses)
        {
            var response = unread ?? await connection.ReadResponseAsync();
            unread = null;
            if (expected == 100 && at is null && response.Status == 100)
            {
                throw new InvalidDataException("a 100 Continue was sent though the body came with the head");
            }

            if (expected == 100 && response.Status != 100)
            {
                // RFC 9110 §10.1.1: no 100 Continue once the body has arrived: always so whole, and split, depending on timing.
                unread = response;
                continue;
            }

            seen.Add(response.Status);
            if (response.Status != expected)
            {
                throw new InvalidDataException($"statuses [{string.Join(", ", seen)}], expected [{string.Join(", ", c.Statuses)}]; body: {response.BodyText}");
            }

            if (response.Header("X-Request-Id") is { } id)
            {
                ids.Add(id);
            }

            last = response;
        }

        if (c.After == After.Close)
        {
            if (last is not null && !last.ConnectionHas("close"))
            {
                throw new InvalidDataException($"the last response ({last.Status}) does not say Connection: close");
            }

            if (!await connection.WaitForCloseAsync())
            {
                throw new InvalidDataException("the gateway did not close the connection (or sent more bytes)");
            }

            return new Run(label, ids, null);
        }

        if (last is null || last.ConnectionHas("close"))
        {
            throw new InvalidDataException("expected an open connection but the last response says Connection: close");
        }

        await connection.SendAsync(ProbeRequest);
        var probe = await connection.ReadResponseAsync();
        if (probe.Status != 200 || probe.Header("X-Request-Id") is not { } probeId)
        {
            throw new InvalidDataException($"the probe request on the same connection got {probe.Status}");
        }

        return new Run(label, ids, probeId);
    }

    private void CheckUpstream(ConformanceCase c, List<Run> runs, int requestsBefore, long bytesBefore, ConcurrentQueue<string> failures)
    {
        var fresh = upstream.Requests.Skip(requestsBefore).ToList();
        var byId = new Dictionary<string, WireRequest>();
        foreach (var request in fresh)
        {
            byId.TryAdd(FieldValues(request, "X-Request-Id").FirstOrDefault() ?? "", request);
        }

        var accounted = new HashSet<WireRequest>();
        var expected = c.Upstream.Requests;
        foreach (var run in runs)
        {
            if (run.ProbeId is { } probeId && byId.TryGetValue(probeId, out var probe))
            {
                accounted.Add(probe);
            }

            var matched = run.ResponseIds.Select(id => byId.GetValueOrDefault(id)).OfType<WireRequest>().ToList();
            accounted.UnionWith(matched);
            if (matched.Count != expected.Count)
            {
                failures.Enqueue($"{run.Label}: the upstream got {matched.Count} request(s) for this input, expected {expected.Count}"
                    + string.Concat(matched.Select(m => $"\n    {FirstLine(m)}")));
                continue;
            }

            for (var i = 0; i < expected.Count; i++)
            {
                foreach (var problem in Check(expected[i], matched[i]))
                {
                    failures.Enqueue($"{run.Label}, upstream request {i + 1} ({FirstLine(matched[i])}): {problem}");
                }
            }
        }

        foreach (var stray in fresh.Where(r => !accounted.Contains(r)))
        {
            failures.Enqueue($"a request no response accounts for reached the upstream (smuggled?):\n    {stray.Head.Replace("\r\n", "\n    ", StringComparison.Ordinal)}");
        }

        if (c.Upstream.Kind == UpstreamKind.Nothing && c.After == After.Close && upstream.BytesReceived != bytesBefore)
        {
            failures.Enqueue($"{upstream.BytesReceived - bytesBefore} byte(s) reached the upstream; expected none");
        }
    }

    /// <summary>Every way <paramref name="actual"/> differs from <paramref name="expected"/>.</summary>
    private static IEnumerable<string> Check(UpstreamRequest expected, WireRequest actual)
    {
        if (FirstLine(actual) != expected.RequestLine + " HTTP/1.1")
        {
            yield return $"request line [{FirstLine(actual)}], expected [{expected.RequestLine} HTTP/1.1]";
        }

        var lengths = FieldValues(actual, "Content-Length");
        var codings = FieldValues(actual, "Transfer-Encoding");
        var body = expected.Body;
        var framingOk = body.Framing switch
        {
            Framing.None => lengths.Count == 0 && codings.Count == 0,
            Framing.Length => lengths.SequenceEqual([body.Data.Length.ToString(CultureInfo.InvariantCulture)]) && codings.Count == 0,
            _ => lengths.Count == 0 && codings.SequenceEqual(["chunked"]) && IsPlainChunked(actual.FramedBodyText),
        };
        if (!framingOk)
        {
            yield return $"framing Content-Length [{string.Join(", ", lengths)}] Transfer-Encoding [{string.Join(", ", codings)}], expected {body.Framing}"
                + (body.Framing == Framing.Chunked ? $"; framed body [{Escape(actual.FramedBodyText)}]" : "");
        }

        var data = Encoding.Latin1.GetString(actual.Body);
        if (data != body.Data)
        {
            yield return $"body [{Escape(data)}], expected [{Escape(body.Data)}]";
        }

        // Whatever the case: hop-by-hop fields and the client's forwarding fields never pass; the gateway's own are there.
        string[] always = ["-Connection", "-Keep-Alive", "-Proxy-Connection", "-Upgrade", "-Expect", "-Forwarded", "-Trailer",
            "X-Forwarded-For: 127.0.0.1", "X-Forwarded-Proto: http"];
        foreach (var field in always.Concat(expected.Fields))
        {
            if (field.StartsWith('-'))
            {
                if (FieldValues(actual, field[1..]).Count > 0)
                {
                    yield return $"has {field[1..]}: {string.Join(", ", FieldValues(actual, field[1..]))}";
                }

                continue;
            }

            var colon = field.IndexOf(':', StringComparison.Ordinal);
            var values = FieldValues(actual, field[..colon]);
            var want = field[(colon + 1)..].Trim();
            if (!values.SequenceEqual([want]))
            {
                yield return $"{field[..colon]} is [{string.Join("] [", values)}], expected [{want}]";
            }
        }
    }

    /// <summary>True when the framed body is chunks with bare hex sizes, each followed by its data and CRLF, then "0" and an empty trailer section.</summary>
    private static bool IsPlainChunked(string framed)
    {
        var at = 0;
        while (true)
        {
            var lineEnd = framed.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (lineEnd <= at || !long.TryParse(framed.AsSpan(at, lineEnd - at), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size))
            {
                return false;
            }

            at = lineEnd + 2;
            if (size == 0)
            {
                return framed.Length == at + 2 && framed.EndsWith("\r\n", StringComparison.Ordinal);
            }

            at += (int)size;
            if (framed.Length < at + 2 || framed.Substring(at, 2) != "\r\n")
            {
                return false;
            }

            at += 2;
        }
    }

    /// <summary>The values of the header field <paramref name="name"/> (any case) in the upstream request's head.</summary>
    public static List<string> FieldValues(WireRequest request, string name) =>
        [.. request.Head.Split("\r\n").Skip(1)
            .Where(line => line.Length > name.Length && line[name.Length] == ':' && line.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            .Select(line => line[(name.Length + 1)..].Trim(' ', '\t'))];

    /// <summary>The request line the upstream received.</summary>
    public static string FirstLine(WireRequest request) => request.Head[..request.Head.IndexOf("\r\n", StringComparison.Ordinal)];

    private static string Escape(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>One run of a case: how it was sent, the X-Request-Id of each response, and the probe's id when there was one.</summary>
    private sealed record Run(string Label, List<string> ResponseIds, string? ProbeId);
}
