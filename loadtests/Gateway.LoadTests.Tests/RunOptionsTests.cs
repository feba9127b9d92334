using Gateway.LoadTests.Cli;

namespace Gateway.LoadTests.Tests;

/// <summary>The command line: loopback-only targets, bounded durations, clear errors.</summary>
public sealed class RunOptionsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://127.3.4.5:81/ignored/path", "http://127.3.4.5:81/")]
    [InlineData("http://localhost:8080", "http://localhost:8080/")]
    [InlineData("http://[::1]:8080", "http://[::1]:8080/")]
    public void LoopbackTargetsAreAccepted(string target, string expected)
    {
        var (options, error) = RunOptions.Parse(["--scenario", "proxy", "--target", target]);

        Assert.Null(error);
        Assert.Equal(expected, options!.Target!.ToString());
    }

    [Theory]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("http://192.168.1.10")]
    [InlineData("http://example.com")]
    [InlineData("https://127.0.0.1:8443")]
    [InlineData("not a url")]
    public void OtherTargetsAreRefused(string target)
    {
        var (options, error) = RunOptions.Parse(["--scenario", "proxy", "--target", target]);

        Assert.Null(options);
        Assert.Contains("--target", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DurationsAreBounded()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), RunOptions.Parse(["--scenario", "proxy", "--duration", "90s"]).Options!.Duration);
        Assert.Equal(TimeSpan.FromMinutes(2), RunOptions.Parse(["--scenario", "proxy", "--duration", "2m"]).Options!.Duration);
        Assert.Equal(TimeSpan.FromHours(1), RunOptions.Parse(["--scenario", "soak", "--duration", "1h"]).Options!.Duration);
        Assert.NotNull(RunOptions.Parse(["--scenario", "proxy", "--duration", "121m"]).Error);
        Assert.NotNull(RunOptions.Parse(["--scenario", "proxy", "--duration", "0s"]).Error);
    }

    [Fact]
    public void DefaultsAreShortAndOpenModel()
    {
        var options = RunOptions.Parse(["--scenario", "proxy"]).Options!;

        Assert.Equal(TimeSpan.FromSeconds(20), options.Duration);
        Assert.Equal(2000, options.Rate);
        Assert.Null(options.Users);
        Assert.Null(options.Target);
    }

    [Fact]
    public void ScenarioIsRequiredUnlessListing()
    {
        Assert.NotNull(RunOptions.Parse([]).Error);
        Assert.True(RunOptions.Parse(["--list"]).Options!.List);
    }

    [Fact]
    public void UnknownOptionsAndMissingValuesAreErrors()
    {
        Assert.Equal("unknown option '--bogus'", RunOptions.Parse(["--bogus", "1"]).Error);
        Assert.Equal("--rate needs a value", RunOptions.Parse(["--scenario", "proxy", "--rate"]).Error);
    }
}
