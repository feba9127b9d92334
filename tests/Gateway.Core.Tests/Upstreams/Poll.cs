namespace Gateway.Core.Tests.Upstreams;

/// <summary>Checks a condition again and again until it holds, failing only past a deadline generous enough for a loaded 2-core machine.</summary>
internal static class Poll
{
    /// <summary>How long a condition may take to come true before the test fails.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>Returns once <paramref name="condition"/> holds; fails naming <paramref name="what"/> when the deadline passes first.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var giveUpAt = Environment.TickCount64 + (long)Deadline.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > giveUpAt)
            {
                Assert.Fail($"Still waiting for {what} after {Deadline.TotalSeconds:0} s.");
            }

            await Task.Delay(10);
        }
    }
}
