using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Upstreams;

/// <summary>Status ranges as configured (<c>200-399</c>, or one status): what parses, what is refused, and what they contain.</summary>
public sealed class StatusRangeTests
{
    [Theory]
    [InlineData("200-399", 200, 399)]
    [InlineData("204", 204, 204)]
    [InlineData(" 200 - 299 ", 200, 299)]
    [InlineData("100-599", 100, 599)]
    [InlineData("503-503", 503, 503)]
    public void RangesAndSingleStatusesParse(string text, int low, int high)
    {
        Assert.True(StatusRange.TryParse(text, out var range));
        Assert.Equal(new StatusRange(low, high), range);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ok")]
    [InlineData("99")]
    [InlineData("600")]
    [InlineData("399-200")]
    [InlineData("200-")]
    [InlineData("-200")]
    [InlineData("+200")]
    [InlineData("200-299-399")]
    [InlineData("2xx")]
    [InlineData("200.0")]
    public void AnythingElseIsRefused(string? text)
    {
        Assert.False(StatusRange.TryParse(text, out var range));
        Assert.Equal(default, range);
    }

    [Fact]
    public void ARangeContainsItsBoundsAndWhatLiesBetween()
    {
        var range = new StatusRange(200, 399);

        Assert.True(range.Contains(200));
        Assert.True(range.Contains(302));
        Assert.True(range.Contains(399));
        Assert.False(range.Contains(199));
        Assert.False(range.Contains(400));
    }
}
