using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Core.Http;
using Gateway.Core.Tests.Configuration;
using Xunit.Abstractions;

namespace Gateway.Core.Tests.Http;

/// <summary>
/// Replays the request cases of the llhttp test corpus (an outside, MIT-licensed data set kept beside the repository in
/// <c>../shared/testdata/llhttp-requests</c>, never inside it) through our parser: the head through
/// <see cref="HttpRequestParser"/>, the body by Content-Length or through <see cref="ChunkedDecoder"/>, message after
/// message. Each case's verdict (accepted, rejected, incomplete, data after a closing message, or paused for an
/// upgrade) must match llhttp's log, or the case must be listed in <see cref="Differences"/> with the RFC rule that
/// makes us answer differently. When the folder is absent the test says so and is skipped.
/// </summary>
public sealed partial class RequestCorpusReplayTests(ITestOutputHelper output)
{
    /// <summary>The one difference is the Host rule; the replay checks that the case agrees once a Host line is added.</summary>
    private const string NoHost = "RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without Host (llhttp leaves that to its caller).";

    private const string LeadingEmptyLine =
        "RFC 9112 §2.2: a server SHOULD (not MUST) skip an empty line before a request-line; we answer 400, so no stray bytes sit between messages.";

    private const string ExtensionMethod =
        "RFC 9110 §9.1, RFC 9112 §3.1: a method is any token, and the gateway forwards extension methods; llhttp knows a fixed list.";

    private const string NoTunnel = "RFC 9110 §9.3.6, §15.6.2: this gateway does not tunnel, so CONNECT gets 501.";

    private const string NotHttp = "RFC 9112 §2.3: HTTP-version is \"HTTP/\" DIGIT \".\" DIGIT; RTSP and ICE requests are another protocol (400).";

    private const string FragmentAndDeflate =
        "RFC 9112 §3.2.1: \"#\" is not allowed in a request-target (400); the deflate coding would get 501 anyway (RFC 9112 §6.1).";

    /// <summary>The input stops inside the head; the replay checks that we reject it once the head is ended.</summary>
    private const string JudgedWhole = "RFC 9112 §2.2: we judge a head once it is whole and llhttp at the first bad byte; this input stops before the empty line.";

    /// <summary>
    /// Cases where we answer differently from llhttp on purpose, keyed "file: title" (a second case with the same title
    /// gets " #2"); the value says why in one line, with the RFC section.
    /// </summary>
    private static readonly Dictionary<string, string> Differences = new()
    {
        // Differs only by the Host rule: checked to agree once a Host line is added.
        ["connection.md: Emitting part of body and pausing"] = NoHost,
        ["connection.md: Multiple tokens with folding and LWS"] = NoHost,
        ["connection.md: Restarting when keep-alive is explicitly"] = NoHost,
        ["connection.md: Sample"] = NoHost,
        ["connection.md: Setting a flag and pausing"] = NoHost,
        ["connection.md: Setting flag"] = NoHost,
        ["connection.md: Setting flag on `close`"] = NoHost,
        ["connection.md: Setting flag on `close` followed by tab"] = NoHost,
        ["content-length.md: `Content-Length` with zeroes"] = NoHost,
        ["content-length.md: `Content-Length` with follow-up headers"] = NoHost,
        ["content-length.md: Spaces in `Content-Length` (surrounding)"] = NoHost,
        ["content-length.md: Tabs in `Content-Length` (surrounding)"] = NoHost,
        ["method.md: REPORT request"] = NoHost,
        ["pausing.md: on_message_begin"] = NoHost,
        ["pausing.md: on_message_complete"] = NoHost,
        ["pausing.md: on_protocol_complete"] = NoHost,
        ["pausing.md: on_method_complete"] = NoHost,
        ["pausing.md: on_url_complete"] = NoHost,
        ["pausing.md: on_version_complete"] = NoHost,
        ["pausing.md: on_header_field_complete"] = NoHost,
        ["pausing.md: on_header_value_complete"] = NoHost,
        ["pausing.md: on_headers_complete"] = NoHost,
        ["pausing.md: on_chunk_header"] = NoHost,
        ["pausing.md: on_chunk_extension_name"] = NoHost,
        ["pausing.md: on_chunk_extension_value"] = NoHost,
        ["pausing.md: on_chunk_complete"] = NoHost,
        ["sample.md: Simple request"] = NoHost,
        ["sample.md: Request with method starting with `H`"] = NoHost,
        ["sample.md: DUMBPACK"] = NoHost,
        ["sample.md: No headers and no body"] = NoHost,
        ["sample.md: One header and no body"] = NoHost,
        ["sample.md: Extended Characters"] = NoHost,
        ["sample.md: 255 ASCII in header value"] = NoHost,
        ["transfer-encoding.md: Parsing and setting flag"] = NoHost,
        ["transfer-encoding.md: Parse chunks with lowercase size"] = NoHost,
        ["transfer-encoding.md: Parse chunks with uppercase size"] = NoHost,
        ["transfer-encoding.md: POST with `Transfer-Encoding: chunked`"] = NoHost,
        ["transfer-encoding.md: Two chunks and triple zero prefixed end chunk"] = NoHost,
        ["transfer-encoding.md: Trailing headers"] = NoHost,
        ["transfer-encoding.md: Chunk extensions"] = NoHost,
        ["transfer-encoding.md: Chunk extensions quoting"] = NoHost,
        ["uri.md: Quotes in URI"] = NoHost,
        ["uri.md: Query URL with question mark"] = NoHost,
        ["uri.md: `host:port` terminated by a query string"] = NoHost,
        ["uri.md: Query URL with vertical bar character"] = NoHost,
        ["uri.md: `host:port` terminated by a space"] = NoHost,

        // The input ends inside the head: checked to be rejected once the head is ended.
        ["content-length.md: Error on `Content-Length` overflow"] = JudgedWhole,
        ["content-length.md: Error on duplicate `Content-Length`"] = JudgedWhole,
        ["content-length.md: Missing CRLF-CRLF before body"] = JudgedWhole,
        ["invalid.md: Headers separated by dummy characters"] = JudgedWhole,
        ["invalid.md: Invalid HTTP version"] = JudgedWhole,
        ["invalid.md: Invalid space after start line"] = JudgedWhole,
        ["sample.md: No LF after CR"] = JudgedWhole,

        // Stricter or different on purpose.
        ["connection.md: CRLF between requests, implicit `keep-alive`"] = LeadingEmptyLine,
        ["pipelining.md: Should parse multiple events"] = LeadingEmptyLine,
        ["sample.md: Prefix newline"] = LeadingEmptyLine,
        ["sample.md: Request starting with CRLF"] = LeadingEmptyLine,
        ["uri.md: Host terminated by a query string"] = LeadingEmptyLine,
        ["invalid.md: HTTP protocol and ANNOUNCE method"] = ExtensionMethod,
        ["invalid.md: Invalid method"] = ExtensionMethod,
        ["method.md: CONNECT request"] = NoTunnel,
        ["method.md: CONNECT request with CAPS"] = NoTunnel,
        ["method.md: CONNECT with body"] = NoTunnel,
        ["uri.md: Underscore in hostname"] = NoTunnel,
        ["method.md: M-SEARCH request"] = "RFC 9112 §3.2.4: the asterisk-form is only for OPTIONS.",
        ["method.md: PRI request HTTP2"] = "RFC 9113 §3.4: the HTTP/2 preface is for prior-knowledge h2, which this HTTP/1.1 listener does not speak; PRI * is 400 (RFC 9112 §3.2.4).",
        ["method.md: SOURCE request with ICE"] = NotHttp,
        ["method.md: OPTIONS request with RTSP"] = NotHttp,
        ["method.md: ANNOUNCE request with RTSP"] = NotHttp,
        ["sample.md: No HTTP version"] = "RFC 9112 §3: a request-line must end in an HTTP-version; HTTP/0.9 requests are not served.",
        ["transfer-encoding.md: POST with `chunked` as last transfer-encoding"] = FragmentAndDeflate,
        ["transfer-encoding.md: POST with `chunked` as last transfer-encoding (multiple headers)"] = FragmentAndDeflate,
        ["uri.md: Fragment in URI"] = "RFC 9112 §3.2.1, RFC 9110 §7.1: a fragment (\"#\") is never part of a request-target.",
        ["uri.md: `host:port` and basic auth"] = "RFC 9110 §4.2.4: userinfo in an http(s) target is treated as an error.",
    };

    private static readonly string Folder = Path.GetFullPath(RepositoryRoot.File(Path.Combine("..", "shared", "testdata", "llhttp-requests")));

    /// <summary>What a parser made of a whole input.</summary>
    private enum Verdict
    {
        /// <summary>Every message was complete and valid, and nothing was left over.</summary>
        Accepted,

        /// <summary>A message was malformed.</summary>
        Rejected,

        /// <summary>The input ended inside a message.</summary>
        Incomplete,

        /// <summary>Bytes followed a message after which the connection closes (llhttp's error 5).</summary>
        DataAfterClose,

        /// <summary>llhttp handed the connection over after an Upgrade or CONNECT head, or an HTTP/2 preface (codes 22, 23).</summary>
        Upgrade,
    }

    [SkippableFact]
    public void EveryRequestCaseAgreesWithLlhttpOrIsAListedDifference()
    {
        if (!Directory.Exists(Folder))
        {
            output.WriteLine($"llhttp corpus not found at {Folder}: the replay was skipped (nothing was checked).");
        }

        Skip.If(!Directory.Exists(Folder), $"The llhttp corpus folder {Folder} is absent.");

        var cases = LoadCases(Folder);
        var agreed = 0;
        var differing = new List<string>();
        var skippedLenient = new List<string>();
        var skippedOther = new List<string>();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            if (c.Lenient)
            {
                skippedLenient.Add(c.Key);
                continue;
            }

            if (c.SkipReason is { } skip)
            {
                skippedOther.Add($"{c.Key} ({skip})");
                continue;
            }

            var theirs = TheirOutcome(c.Log);
            var ours = OurOutcome(c.Input, addHost: false);
            var withHost = OurOutcome(c.Input, addHost: true);
            var problem = Differences.TryGetValue(c.Key, out var reason) ? CheckListed(reason, theirs, ours, withHost, c.Input)
                : Agrees(theirs, ours) && (ours.Reason != RequestError.MissingHost.Detail || Agrees(theirs, withHost)) ? null
                : Agrees(theirs, ours) ? $"both reject, but ours only for the missing Host: with a Host line added ours is {withHost}, llhttp {theirs}"
                : $"llhttp {theirs}, ours {ours}{(Agrees(theirs, withHost) ? $" (agrees once a Host line is added: list it with {nameof(NoHost)})" : "")}";
            if (problem is not null)
            {
                failures.Add($"{c.Key}: {problem}\n    input: {Printable(c.Input)}");
            }
            else if (reason is null)
            {
                agreed++;
            }
            else
            {
                differing.Add($"{c.Key}: llhttp {theirs}, ours {ours} -- {reason}");
            }
        }

        var keys = cases.Select(c => c.Key).ToHashSet();
        failures.AddRange(Differences.Keys.Where(k => !keys.Contains(k)).Select(k => $"{k}: listed as a difference but no such case exists."));

        output.WriteLine($"llhttp corpus ({Folder}): {cases.Count} cases; {agreed} agreed, {differing.Count} differ on purpose (listed), "
            + $"{skippedLenient.Count} skipped as lenient, {skippedOther.Count} skipped for another reason.");
        output.WriteLine("\nDiffering on purpose:");
        differing.ForEach(line => output.WriteLine("  " + line));
        output.WriteLine("\nSkipped (lenient llhttp options):");
        skippedLenient.ForEach(line => output.WriteLine("  " + line));
        output.WriteLine("\nSkipped (other):");
        skippedOther.ForEach(line => output.WriteLine("  " + line));
        if (failures.Count > 0)
        {
            output.WriteLine("\nUnexpected:");
            failures.ForEach(line => output.WriteLine("  " + line));
        }

        Assert.True(failures.Count == 0, $"{failures.Count} llhttp case(s) disagree without a listed reason:\n" + string.Join("\n", failures));
        Assert.True(agreed > 0, "no llhttp case was compared");
    }

    /// <summary>The decoding rules of the corpus README, checked on small samples.</summary>
    [Theory]
    [InlineData("a\nb", "a\r\nb")]
    [InlineData("a\\r\\n\\t\\f\nb", "a\r\n\t\f\r\nb")]
    [InlineData("a\\\nb", "ab")]
    [InlineData("\\x41\\xff", "A\u00ff")]
    [InlineData("\\033\\065\\325", "\u001b5\u00d5")]
    [InlineData("x\\\"y\\\\z", "x\\\"y\\\\z")]
    [InlineData("D\u00fc", "D\u00c3\u00bc")]
    public void InputIsDecodedAsTheReadmeSays(string block, string expectedLatin1)
    {
        Assert.Equal(Encoding.Latin1.GetBytes(expectedLatin1), DecodeInput(block.Split('\n')));
    }

    /// <summary>Why a listed difference does not hold (null when it does): each kind of reason is checked, not just trusted.</summary>
    private static string? CheckListed(string reason, Outcome theirs, Outcome ours, Outcome withHost, byte[] input)
    {
        if (reason == NoHost)
        {
            // The only difference must be the missing Host: we reject for it, and agree once a Host line is added.
            return ours.Reason != RequestError.MissingHost.Detail ? $"listed for {nameof(NoHost)} but ours is {ours}"
                : !Agrees(theirs, withHost) ? $"llhttp {theirs}, ours with a Host line added {withHost}: it differs beyond the Host rule"
                : null;
        }

        if (Agrees(theirs, withHost))
        {
            return $"listed as a difference but agrees (llhttp {theirs}, ours with a Host line added if needed {withHost}); fix the list.";
        }

        if (reason == JudgedWhole)
        {
            // llhttp stops at the first bad byte; we wait for the end of the head. Once it comes, we must reject too.
            var completed = OurOutcome([.. input, .. "\r\n\r\n"u8], addHost: true);
            return ours.Verdict != Verdict.Incomplete || completed.Verdict != Verdict.Rejected
                ? $"listed as {nameof(JudgedWhole)} but ours is {ours}, and {completed} once the head is ended"
                : null;
        }

        return null;
    }

    private static bool Agrees(Outcome theirs, Outcome ours) => theirs.Verdict switch
    {
        // At an Upgrade/CONNECT/PRI pause llhttp hands the connection over (README: not a rejection). A gateway that ignores
        // Upgrade (RFC 9110 §7.8) agrees when it took the same messages, and at least one head, without error.
        Verdict.Upgrade => ours.Completed >= theirs.Completed && ours.HeadsAccepted >= Math.Max(theirs.Completed, 1),
        _ => ours.Verdict == theirs.Verdict && ours.Completed == theirs.Completed,
    };

    /// <summary>llhttp's verdict: the last event of the log (pause events aside) and how many messages it completed.</summary>
    private static Outcome TheirOutcome(IReadOnlyList<string> log)
    {
        var completed = log.Count(line => line.EndsWith(" message complete", StringComparison.Ordinal));
        var last = log.Last(line => !line.EndsWith(" pause", StringComparison.Ordinal));
        var error = ErrorCode().Match(last);
        var verdict = !error.Success
            ? last.EndsWith(" message complete", StringComparison.Ordinal) ? Verdict.Accepted : Verdict.Incomplete
            : error.Groups[1].Value switch
            {
                "5" => Verdict.DataAfterClose,
                "22" or "23" => Verdict.Upgrade,
                _ => Verdict.Rejected,
            };
        return new Outcome(verdict, completed, completed, error.Success ? last[(last.IndexOf("reason=", StringComparison.Ordinal) + 7)..] : null);
    }

    /// <summary>
    /// Our verdict: messages parsed one after another the way a connection would, until the input ends or one fails.
    /// With <paramref name="addHost"/>, a head refused only for lacking Host gets a Host line after its request line and
    /// is parsed again, so the rest of the message is still compared with llhttp (which leaves the Host rule to its caller).
    /// </summary>
    private static Outcome OurOutcome(byte[] input, bool addHost)
    {
        var parser = new HttpRequestParser(ParserHarness.DefaultLimits);
        using var head = new RequestHead();
        var decoder = new ChunkedDecoder();
        var offset = 0;
        var completed = 0;
        var heads = 0;
        while (offset < input.Length)
        {
            parser.Reset();
            var status = parser.TryReadHead(new ReadOnlySequence<byte>(input, offset, input.Length - offset), head, out var headLength, out var error);
            if (error == RequestError.MissingHost && addHost)
            {
                var afterRequestLine = offset + input.AsSpan(offset).IndexOf((byte)'\n') + 1;
                input = [.. input.AsSpan(0, afterRequestLine), .. "Host: llhttp.test\r\n"u8, .. input.AsSpan(afterRequestLine)];
                continue;
            }

            if (status != HeadStatus.Complete)
            {
                return new Outcome(status == HeadStatus.Error ? Verdict.Rejected : Verdict.Incomplete, completed, heads, error?.Detail);
            }

            heads++;
            offset += headLength;
            if (head.Chunked)
            {
                decoder.Reset();
                var body = new ReadOnlySequence<byte>(input, offset, input.Length - offset);
                ChunkStatus chunk;
                while ((chunk = decoder.Next(ref body, out _)) == ChunkStatus.Data)
                {
                }

                if (chunk != ChunkStatus.Done)
                {
                    return new Outcome(chunk == ChunkStatus.Error ? Verdict.Rejected : Verdict.Incomplete, completed, heads, chunk == ChunkStatus.Error ? RequestError.BadChunkedBody.Detail : null);
                }

                offset = input.Length - (int)body.Length;
            }
            else if (head.ContentLength > 0)
            {
                if (input.Length - offset < head.ContentLength)
                {
                    return new Outcome(Verdict.Incomplete, completed, heads, null);
                }

                offset += (int)head.ContentLength;
            }

            completed++;
            if (!head.KeepAlive && offset < input.Length)
            {
                return new Outcome(Verdict.DataAfterClose, completed, heads, null);
            }
        }

        return new Outcome(completed > 0 ? Verdict.Accepted : Verdict.Incomplete, completed, heads, null);
    }

    private static List<CorpusCase> LoadCases(string folder)
    {
        var cases = new List<CorpusCase>();
        var keys = new HashSet<string>();
        foreach (var path in Directory.GetFiles(folder, "*.md").Where(p => Path.GetFileName(p) != "README.md").Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            var lines = File.ReadAllLines(path, Encoding.UTF8);
            string? title = null;
            string? meta = null;
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.StartsWith('#'))
                {
                    title = line.TrimStart('#').Trim();
                }
                else if (MetaLine().Match(line) is { Success: true } match)
                {
                    meta = match.Groups[1].Value;
                }
                else if (line == "```http" && meta is not null)
                {
                    var block = Block(lines, ref i);
                    while (lines[i] != "```log")
                    {
                        i++;
                    }

                    var log = Block(lines, ref i);
                    var key = $"{file}: {title}";
                    for (var n = 2; !keys.Add(key); n++)
                    {
                        key = $"{file}: {title} #{n}";
                    }

                    cases.Add(CorpusCase.Create(key, meta, DecodeInput(block), log));
                    meta = null;
                }
            }
        }

        return cases;
    }

    /// <summary>The lines of the fenced block that starts at <paramref name="i"/>; leaves <paramref name="i"/> on its closing fence.</summary>
    private static List<string> Block(string[] lines, ref int i)
    {
        var block = new List<string>();
        for (i++; lines[i] != "```"; i++)
        {
            block.Add(lines[i]);
        }

        return block;
    }

    /// <summary>
    /// The README's rules: lines joined with CRLF; <c>\r \n \t \f</c> and <c>\xNN</c> stand for those bytes; other text is
    /// UTF-8. Two more conventions the fixtures use and the README does not spell out: a line ending in a backslash
    /// continues on the next line with no line break between, and <c>\NNN</c> (octal) stands for a byte. (llhttp's own
    /// runner turns <c>\xNN</c> into the character U+00NN and then encodes UTF-8; the verdicts are the same for this corpus.)
    /// </summary>
    private static byte[] DecodeInput(IReadOnlyList<string> block)
    {
        var text = new StringBuilder();
        for (var i = 0; i < block.Count; i++)
        {
            var line = block[i];
            if (line.EndsWith('\\') && !line.EndsWith(@"\\", StringComparison.Ordinal))
            {
                text.Append(line.AsSpan(0, line.Length - 1));
            }
            else
            {
                text.Append(line).Append(i < block.Count - 1 ? "\r\n" : "");
            }
        }

        var bytes = new List<byte>();
        var s = text.ToString();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                var next = s[i + 1];
                byte? simple = next switch { 'r' => 13, 'n' => 10, 't' => 9, 'f' => 12, _ => null };
                if (simple is { } b)
                {
                    bytes.Add(b);
                    i++;
                    continue;
                }

                if (next == 'x' && i + 3 < s.Length && byte.TryParse(s.AsSpan(i + 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
                {
                    bytes.Add(hex);
                    i += 3;
                    continue;
                }

                var digits = 0;
                while (digits < 3 && i + 1 + digits < s.Length && s[i + 1 + digits] is >= '0' and <= '7')
                {
                    digits++;
                }

                if (digits > 0)
                {
                    bytes.Add((byte)Convert.ToInt32(s.Substring(i + 1, digits), 8));
                    i += digits;
                    continue;
                }
            }

            var rune = char.IsSurrogatePair(s, i) ? s.Substring(i++, 2) : s[i].ToString();
            bytes.AddRange(Encoding.UTF8.GetBytes(rune));
        }

        return [.. bytes];
    }

    private static string Printable(byte[] input) =>
        string.Concat(input.Select(b => b switch
        {
            (byte)'\r' => "\\r",
            (byte)'\n' => "\\n",
            (byte)'\t' => "\\t",
            (byte)'\\' => "\\\\",
            < 0x20 or >= 0x7F => $"\\x{b:x2}",
            _ => ((char)b).ToString(),
        }));

    [GeneratedRegex(@"^<!-- meta=(\{.*\}) -->$")]
    private static partial Regex MetaLine();

    [GeneratedRegex(@" error code=(\d+) ")]
    private static partial Regex ErrorCode();

    /// <summary>A verdict, the messages completed before it, the heads accepted, and the reason given for an error.</summary>
    private sealed record Outcome(Verdict Verdict, int Completed, int HeadsAccepted, string? Reason)
    {
        public override string ToString() =>
            $"{Verdict} after {Completed} message(s){(Reason is null ? "" : $" [{Reason}]")}";
    }

    /// <summary>One fixture: its key, whether it needs a lenient llhttp option, why else it cannot be replayed, its input and log.</summary>
    private sealed record CorpusCase(string Key, bool Lenient, string? SkipReason, byte[] Input, IReadOnlyList<string> Log)
    {
        public static CorpusCase Create(string key, string metaJson, byte[] input, IReadOnlyList<string> log)
        {
            using var meta = JsonDocument.Parse(metaJson);
            var root = meta.RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
            var lenient = type.Contains("lenient", StringComparison.Ordinal)
                || (root.TryGetProperty("mode", out var mode) && mode.GetString() == "loose")
                || root.EnumerateObject().Any(p => p.Name.StartsWith("lenient", StringComparison.Ordinal));
            var skip = type != "request" ? $"type \"{type}\" is not a request case"
                : root.TryGetProperty("skipBody", out _) ? "its caller tells llhttp to skip the body, which a proxy never does"
                : null;
            return new CorpusCase(key, lenient, skip, input, log);
        }
    }
}
