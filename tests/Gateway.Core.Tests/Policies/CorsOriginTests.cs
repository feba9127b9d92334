using System.Text;
using Gateway.Core.Configuration;

namespace Gateway.Core.Tests.Policies;

/// <summary>Which Origin values an allowed origin matches: exact ones in any case, and wildcards only at a dot boundary.</summary>
public sealed class CorsOriginTests
{
    [Theory]
    [InlineData("https://app.example.com", "https://app.example.com", true)]
    [InlineData("https://app.example.com", "HTTPS://App.Example.COM", true)]
    [InlineData("https://app.example.com", "http://app.example.com", false)]
    [InlineData("https://app.example.com", "https://app.example.com:8443", false)]
    [InlineData("https://app.example.com", "https://app.example.com.evil.net", false)]
    [InlineData("http://localhost:3000", "http://localhost:3000", true)]
    [InlineData("https://*.example.com", "https://a.example.com", true)]
    [InlineData("https://*.example.com", "https://a.b.example.com", true)]
    [InlineData("https://*.example.com", "https://example.com", false)]
    [InlineData("https://*.example.com", "https://evilexample.com", false)]
    [InlineData("https://*.example.com", "https://.example.com", false)]
    [InlineData("https://*.example.com", "https://evil.com/.example.com", false)]
    [InlineData("https://*.example.com", "https://a.example.com:443", false)]
    [InlineData("https://*.example.com", "http://a.example.com", false)]
    [InlineData("https://*.example.com:8443", "https://a.example.com:8443", true)]
    public void AnOriginMatchesOnlyWhatItNames(string allowed, string origin, bool matches)
    {
        Assert.True(CorsOrigin.TryParse(allowed, out var parsed));

        Assert.Equal(matches, parsed.Matches(Encoding.ASCII.GetBytes(origin)));
    }

    [Theory]
    [InlineData("app.example.com")]
    [InlineData("https://app.example.com/")]
    [InlineData("https://app.example.com/path")]
    [InlineData("ftp://app.example.com")]
    [InlineData("https://")]
    [InlineData("https://app..example.com")]
    [InlineData("https://app.example.com:0")]
    [InlineData("https://app.example.com:x")]
    [InlineData("https://*example.com")]
    [InlineData("https://a.*.example.com")]
    [InlineData("null")]
    public void AMalformedOriginIsNotAccepted(string origin) => Assert.False(CorsOrigin.TryParse(origin, out _));
}
