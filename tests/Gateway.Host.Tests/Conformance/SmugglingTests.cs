using System.Globalization;
using Xunit.Abstractions;
using static Gateway.Host.Tests.Conformance.Rows;

namespace Gateway.Host.Tests.Conformance;

/// <summary>
/// Request smuggling (RFC 9112 §11.2): each attack hides a second request inside a first one for a parser that frames
/// the message differently (CL.TE, TE.CL, obfuscated TE.TE, CL.CL, chunk extensions and trailers). For each, sent whole
/// on its own connection and followed by a victim request on a fresh connection (which the gateway may send over the
/// same pooled upstream connection), the upstream must count exactly the front request when it is valid (with the
/// hidden request as plain body bytes) and the victim, nothing else; the victim must be answered. Then the attack runs
/// again split at every byte boundary through <see cref="ConformanceRunner"/>, which also fails on any request at the
/// upstream that no response accounts for.
/// </summary>
public sealed class SmugglingTests(ConformanceFixture fixture, ITestOutputHelper output) : IClassFixture<ConformanceFixture>
{
    private const string P = "POST / HTTP/1.1\r\nHost: a\r\n";
    private const string C = P + "Transfer-Encoding: chunked\r\n\r\n";
    private const string Hidden = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
    private const string HiddenPrefix = "GET /smuggled HTTP/1.1\r\nX-Glue: ";
    private const string Victim = "GET /victim HTTP/1.1\r\nHost: a\r\n\r\n";

    /// <summary>A body that ends a chunked message at once, followed by the hidden request.</summary>
    private const string EndThenHidden = "0\r\n\r\n" + Hidden;

    private static readonly ConformanceCase[] Attacks =
    [
        // CL.TE: the front reads Content-Length, the back chunked.
        Row("cl-te", P + ContentLength(EndThenHidden) + "Transfer-Encoding: chunked\r\n\r\n" + EndThenHidden, 400, Close, Nothing),
        Row("cl-te-glued-prefix", P + ContentLength("0\r\n\r\n" + HiddenPrefix) + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + HiddenPrefix, 400, Close, Nothing),
        Row("cl-te-te-first", P + "Transfer-Encoding: chunked\r\n" + ContentLength(EndThenHidden) + "\r\n" + EndThenHidden, 400, Close, Nothing),

        // TE.CL: the front reads chunked, the back Content-Length.
        Row("te-cl", P + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" + Chunk(Hidden) + "0\r\n\r\n", 400, Close, Nothing),
        Row("te-cl-glued-prefix", P + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n" + Chunk(HiddenPrefix) + "0\r\n\r\n", 400, Close, Nothing),

        // TE.TE: one side does not recognise an obfuscated Transfer-Encoding and falls back to Content-Length.
        Row("te-te-unknown-coding", Obfuscated("Transfer-Encoding: xchunked"), 400, Close, Nothing),
        Row("te-te-space-before-colon", Obfuscated("Transfer-Encoding : chunked"), 400, Close, Nothing),
        Row("te-te-second-line", Obfuscated("Transfer-Encoding: chunked\r\nTransfer-Encoding: x"), 400, Close, Nothing),
        Row("te-te-identity-first", Obfuscated("Transfer-Encoding: identity\r\nTransfer-Encoding: chunked"), 400, Close, Nothing),
        Row("te-te-chunked-identity", Obfuscated("Transfer-Encoding: chunked, identity"), 400, Close, Nothing),
        Row("te-te-htab", Obfuscated("Transfer-Encoding:\tchunked"), 400, Close, Nothing),
        Row("te-te-mixed-case", Obfuscated("Transfer-Encoding: cHuNkEd"), 400, Close, Nothing),
        Row("te-te-quoted", Obfuscated("Transfer-Encoding: \"chunked\""), 400, Close, Nothing),
        Row("te-te-vertical-tab", Obfuscated("Transfer-Encoding: chunked\u000b"), 400, Close, Nothing),
        Row("te-te-nul", Obfuscated("Transfer-Encoding: chunked\0"), 400, Close, Nothing),
        Row("te-te-0xff", Obfuscated("Transfer-Encoding: chunked\u00ff"), 400, Close, Nothing),
        Row("te-te-bare-lf-hides-the-line", Obfuscated("X: y\nTransfer-Encoding: chunked"), 400, Close, Nothing),
        Row("te-te-obs-fold", Obfuscated("Transfer-Encoding:\r\n chunked"), 400, Close, Nothing),
        Row("te-te-leading-space", Obfuscated("X: y\r\n Transfer-Encoding: chunked"), 400, Close, Nothing),
        Row("te-te-nul-in-name", Obfuscated("Transfer-Encoding\0: chunked"), 400, Close, Nothing),
        Row("te-te-without-cl", P + "Transfer-Encoding: xchunked\r\n\r\n" + EndThenHidden, 400, Close, Nothing),
        Row("te-te-underscore", Obfuscated("Transfer_Encoding: chunked"), 200, Open, Got("POST /", Length(EndThenHidden), "-Transfer_Encoding")),

        // CL.CL: two Content-Length values, each side picking another.
        Row("cl-cl-different-lines", P + "Content-Length: 0\r\n" + ContentLength(Hidden) + "\r\n" + Hidden, 400, Close, Nothing),
        Row("cl-cl-list", P + $"Content-Length: 0, {Hidden.Length}\r\n\r\n" + Hidden, 400, Close, Nothing),
        Row("cl-cl-plus-sign", P + $"Content-Length: +{Hidden.Length}\r\n\r\n" + Hidden, 400, Close, Nothing),
        Row("cl-cl-space-before-colon", P + $"Content-Length : {Hidden.Length}\r\n\r\n" + Hidden, 400, Close, Nothing),
        Row("cl-cl-obs-fold", P + $"Content-Length: 0\r\n {Hidden.Length}\r\n\r\n" + Hidden, 400, Close, Nothing),
        Row("cl-cl-same-twice", P + ContentLength(Hidden) + ContentLength(Hidden) + "\r\n" + Hidden, 200, Open, Got("POST /", Length(Hidden))),
        Row("cl-on-get", "GET / HTTP/1.1\r\nHost: a\r\n" + ContentLength(Hidden) + "\r\n" + Hidden, 200, Open, Got("GET /", Length(Hidden))),

        // Chunk extensions and chunk lines: a parser that reads them loosely finds another message end.
        Row("ext-bare-semicolon", C + "2;\r\nxx\r\n" + EndThenHidden, 400, Close, Aborted),
        Row("ext-quote-spans-lines", C + "1;a=\"x\r\n" + EndThenHidden + "\"\r\nx\r\n0\r\n\r\n", 400, Close, Aborted),
        Row("ext-lf-ends-the-line", C + "1;a\n" + EndThenHidden, 400, Close, Aborted),
        Row("ext-cr-ends-the-line", C + "1;a\r" + EndThenHidden, 400, Close, Aborted),
        Row("ext-escaped-cr", C + "1;a=\"\\\r\n\"\r\nx\r\n" + EndThenHidden, 400, Close, Aborted),
        Row("ext-over-the-cap", C + "1;" + new string('a', 5000) + "\r\nx\r\n" + EndThenHidden, 400, Close, Aborted),
        Row("chunk-size-bare-lf", C + Chunk(Hidden).Replace("\r\n", "\n", StringComparison.Ordinal) + EndThenHidden, 400, Close, Aborted),
        Row("chunk-size-trailing-space", C + "2 \r\nxx\r\n" + EndThenHidden, 400, Close, Aborted),
        Row("chunk-data-longer-than-size", C + "1\r\nxx\r\n" + EndThenHidden, 400, Close, Aborted),
        Row("request-as-trailer", C + "0\r\n" + Hidden, 400, Close, Aborted),
    ];

    /// <summary>The attack names, one test each.</summary>
    public static TheoryData<string> AttackNames => [.. Attacks.Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(AttackNames))]
    public async Task UpstreamNeverSeesASecondRequestAndTheNextClientIsServed(string name)
    {
        var attack = Attacks.Single(a => a.Name == name);
        var before = fixture.Upstream.Requests.Count;
        var statuses = new List<int>();
        var closed = false;

        await using (var connection = await fixture.Gateway.ConnectAsync())
        {
            await connection.SendAsync(attack.Raw);
            foreach (var _ in attack.Statuses)
            {
                statuses.Add((await connection.ReadResponseAsync()).Status);
            }

            closed = attack.After == Close && await connection.WaitForCloseAsync();
        }

        var victim = await fixture.Gateway.SendAsync(Victim);
        var seen = fixture.Upstream.Requests.Skip(before).ToList();

        // The upstream counts the front request (only when it is valid) and the victim: never a hidden request.
        Assert.Equal([.. attack.Upstream.Requests.Select(r => r.RequestLine + " HTTP/1.1"), "GET /victim HTTP/1.1"], seen.Select(ConformanceRunner.FirstLine));
        Assert.Equal(victim.Header("X-Request-Id"), ConformanceRunner.FieldValues(seen[^1], "X-Request-Id").Single());
        Assert.Equal(200, victim.Status);
        Assert.Equal(attack.Statuses, statuses);
        Assert.Equal(attack.After == Close, closed);
        output.WriteLine($"{name}: the upstream counted {seen.Count} request(s): {string.Join(", ", seen.Select(ConformanceRunner.FirstLine))}");
        output.WriteLine(await fixture.Runner.RunAsync(attack));
    }

    private static string ContentLength(string body) => $"Content-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n";

    private static string Chunk(string data) => $"{data.Length:x}\r\n{data}\r\n";

    /// <summary>A request whose Content-Length covers the chunked end and the hidden request, with <paramref name="transferEncoding"/> beside it.</summary>
    private static string Obfuscated(string transferEncoding) => P + ContentLength(EndThenHidden) + transferEncoding + "\r\n\r\n" + EndThenHidden;
}
