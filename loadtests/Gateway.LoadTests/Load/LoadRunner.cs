namespace Gateway.LoadTests.Load;

using Gateway.LoadTests.Recording;

/// <summary>
/// Runs a scenario's stages back to back on one timeline, then lets outstanding requests finish for a short grace.
/// Always bounded: after the planned time plus the grace every request still out is cancelled (and counted as
/// <c>aborted</c>); <c>stop</c> (Ctrl-C) ends injection at once and gives the same grace.
/// </summary>
internal sealed class LoadRunner(RequestSender sender, RunRecorder recorder, RunClock clock, InFlightLimit limit)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>The planned length of <paramref name="stages"/>.</summary>
    public static TimeSpan PlannedDuration(IReadOnlyList<LoadStage> stages) =>
        stages.Aggregate(TimeSpan.Zero, (sum, stage) => sum + stage.Duration);

    /// <summary>Runs <paramref name="stages"/>; the run's time 0 is now.</summary>
    public async Task RunAsync(IReadOnlyList<LoadStage> stages, TimeSpan grace, CancellationToken stop)
    {
        using var aborted = new CancellationTokenSource(PlannedDuration(stages) + grace);
        using var onStop = stop.Register(() => aborted.CancelAfter(grace));
        var open = new OpenModelInjector(sender, limit, recorder, clock);
        var closed = new ClosedModelRunner(sender, recorder, clock);
        var stageStart = clock.Elapsed;
        for (var i = 0; i < stages.Count && !stop.IsCancellationRequested; i++)
        {
            var stage = stages[i];
            var running = stage switch
            {
                OpenStage openStage => open.RunAsync(i, openStage, stageStart, stop, aborted.Token),
                ConcurrencyStage users => closed.RunAsync(i, users, stageStart + users.Duration, stop, aborted.Token),
                _ => throw new NotSupportedException($"Unknown stage kind {stage.GetType().Name}."),
            };
            await running.ConfigureAwait(false);
            stageStart += stage.Duration;
            await WaitUntilAsync(stageStart, stop).ConfigureAwait(false);
        }

        while (limit.Count > 0 && !aborted.IsCancellationRequested)
        {
            await Task.Delay(PollInterval, CancellationToken.None).ConfigureAwait(false);
        }

        await aborted.CancelAsync().ConfigureAwait(false);
        while (limit.Count > 0)
        {
            await Task.Delay(PollInterval, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task WaitUntilAsync(TimeSpan runTime, CancellationToken stop)
    {
        var wait = runTime - clock.Elapsed;
        try
        {
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped early: the caller winds down.
        }
    }
}
