using Gateway.Core.Configuration;

namespace Gateway.Core.Tests.Configuration;

/// <summary>Durations as operators write them: "250ms", "30s", "5m", "1h", or a bare number of seconds.</summary>
public sealed class DurationTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData(".5s", 500)]
    [InlineData("2", 2_000)]
    [InlineData("0", 0)]
    [InlineData(" 10s ", 10_000)]
    [InlineData("10MS", 10)]
    [InlineData("2H", 7_200_000)]
    [InlineData("0.25m", 15_000)]
    public void ValidDurationsParse(string text, int milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var value, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("s")]
    [InlineData("ms")]
    [InlineData("-1s")]
    [InlineData("+1s")]
    [InlineData("1d")]
    [InlineData("5 s")]
    [InlineData("1,5s")]
    [InlineData("1e3s")]
    [InlineData("1s30ms")]
    [InlineData("soon")]
    [InlineData("NaN")]
    [InlineData("NaNs")]
    [InlineData("Infinity")]
    [InlineData("99999999999999999999h")]
    public void InvalidDurationsAreRejectedWithAReason(string? text)
    {
        Assert.False(Duration.TryParse(text, out var value, out var reason));
        Assert.Equal(TimeSpan.Zero, value);
        Assert.Equal("expected a duration such as \"250ms\", \"30s\", \"5m\" or \"1h\"", reason);
    }

    [Theory]
    [InlineData("1001h")]
    [InlineData("3600001s")]
    [InlineData("99999999999999999999h")]
    public void WaitsLongerThanTimersCanWaitAreRejected(string text)
    {
        Assert.False(Duration.TryParseWait(text, out var value, out var reason));
        Assert.Equal(TimeSpan.Zero, value);
        Assert.Equal(text.StartsWith("9999", StringComparison.Ordinal) ? "expected a duration such as \"250ms\", \"30s\", \"5m\" or \"1h\"" : "expected a duration of at most 1000h", reason);
    }

    [Fact]
    public void TheLongestWaitParses()
    {
        Assert.True(Duration.TryParseWait("1000h", out var value, out _));
        Assert.Equal(Duration.LongestWait, value);
    }
}
