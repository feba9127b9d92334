namespace Gateway.LoadTests.Load;

using Gateway.LoadTests.Recording;

/// <summary>
/// Open-model injection on a dedicated thread: each request is started at its intended time whatever the target is
/// doing, and its latency counts from that time. When the client falls behind (a slow wake-up, a busy machine) the
/// late requests start at once, still stamped with when they were due; when the in-flight cap is reached they are
/// dropped and counted, never silently skipped.
/// </summary>
internal sealed class OpenModelInjector(RequestSender sender, InFlightLimit limit, RunRecorder recorder, RunClock clock)
{
    private static readonly TimeSpan ShortestSleep = TimeSpan.FromMilliseconds(1);

    /// <summary>Runs stage number <paramref name="stageIndex"/> from run time <paramref name="stageStart"/> until its schedule ends or <paramref name="stop"/> fires.</summary>
    public Task RunAsync(int stageIndex, OpenStage stage, TimeSpan stageStart, CancellationToken stop, CancellationToken aborted)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Inject(stageIndex, new ArrivalCursor(stage, stageStart), stop, aborted);
            done.SetResult();
        })
        {
            IsBackground = true,
            Name = "open-model injector",
        };
        thread.Start();
        return done.Task;
    }

    private void Inject(int stageIndex, ArrivalCursor cursor, CancellationToken stop, CancellationToken aborted)
    {
        while (!stop.IsCancellationRequested && cursor.NextDue is { } next)
        {
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero && stop.WaitHandle.WaitOne(wait < ShortestSleep ? ShortestSleep : wait))
            {
                return;
            }

            var now = clock.Elapsed;
            while (cursor.TryTakeDue(now, out var intended))
            {
                recorder.RecordScheduled(stageIndex, intended);
                if (!limit.TryEnter())
                {
                    recorder.RecordDropped(stageIndex, intended);
                    continue;
                }

                _ = Task.Run(async () =>
                {
                    try
                    {
                        await sender.SendAsync(stageIndex, intended, aborted).ConfigureAwait(false);
                    }
                    finally
                    {
                        limit.Exit();
                    }
                }, CancellationToken.None);
            }
        }
    }
}
