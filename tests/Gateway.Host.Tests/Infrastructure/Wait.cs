using System.Diagnostics;
using Gateway.Core.Tests.RateLimiting;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>Waits on conditions and tasks under one generous deadline, so a slow, loaded machine never fails a test by timing alone.</summary>
internal static class Wait
{
    /// <summary>The longest any single wait in the suite may take before the test fails.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    /// <summary>How far the gateway's clock moves in one step, before the gateway is given a moment to act on it.</summary>
    private static readonly TimeSpan ClockStep = TimeSpan.FromMilliseconds(250);

    /// <summary>A token source that cancels after <see cref="Generous"/>.</summary>
    public static CancellationTokenSource Deadline() => new(Generous);

    /// <summary>Polls <paramref name="condition"/> until it holds; throws naming <paramref name="what"/> when the deadline passes first.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!condition())
        {
            if (elapsed.Elapsed > Generous)
            {
                throw new TimeoutException($"Timed out after {Generous.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a value; throws naming <paramref name="what"/> when the deadline passes first.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (elapsed.Elapsed > Generous)
            {
                throw new TimeoutException($"Timed out after {Generous.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Awaits <paramref name="task"/>; throws naming <paramref name="what"/> when it does not finish within the deadline.</summary>
    public static async Task ForAsync(Task task, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(Generous));
        if (finished != task)
        {
            throw new TimeoutException($"Timed out after {Generous.TotalSeconds:0} s waiting for {what}.");
        }

        await task;
    }

    /// <summary>Awaits <paramref name="task"/> and returns its result; throws naming <paramref name="what"/> when it does not finish within the deadline.</summary>
    public static async Task<T> ForAsync<T>(Task<T> task, string what)
    {
        await ForAsync((Task)task, what);
        return await task;
    }

    /// <summary>
    /// Moves the gateway's <paramref name="clock"/> on a quarter of a second at a time, letting the gateway act on each
    /// step, until <paramref name="task"/> finishes; returns how far the clock moved. Throws naming <paramref name="what"/>
    /// when the deadline (in real time) passes first.
    /// </summary>
    public static async Task<TimeSpan> AdvancingAsync(ManualTimeProvider clock, Task task, string what)
    {
        var moved = TimeSpan.Zero;
        var elapsed = Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            if (elapsed.Elapsed > Generous)
            {
                throw new TimeoutException($"Timed out after {Generous.TotalSeconds:0} s waiting for {what}.");
            }

            clock.Advance(ClockStep);
            moved += ClockStep;
            await Task.WhenAny(task, Task.Delay(20));
        }

        await task;
        return moved;
    }

    /// <summary>Moves the gateway's <paramref name="clock"/> on by <paramref name="span"/>, in the same steps as <see cref="AdvancingAsync"/>, as real time would pass.</summary>
    public static async Task AdvanceAsync(ManualTimeProvider clock, TimeSpan span)
    {
        for (var moved = TimeSpan.Zero; moved < span; moved += ClockStep)
        {
            clock.Advance(ClockStep);
            await Task.Delay(20);
        }
    }
}
