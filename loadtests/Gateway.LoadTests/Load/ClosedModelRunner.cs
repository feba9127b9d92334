namespace Gateway.LoadTests.Load;

using Gateway.LoadTests.Recording;

/// <summary>
/// Closed-model load: a fixed number of virtual users, each sending its next request as soon as its previous one
/// answered. The target sets the pace, so latency here is service time (a closed model cannot see the requests a
/// slow target kept from being sent; use an open stage for that).
/// </summary>
internal sealed class ClosedModelRunner(RequestSender sender, RunRecorder recorder, RunClock clock)
{
    /// <summary>Runs stage number <paramref name="stageIndex"/> until its end (run time) or <paramref name="stop"/>; returns when every user has finished its last request.</summary>
    public Task RunAsync(int stageIndex, ConcurrencyStage stage, TimeSpan stageEnd, CancellationToken stop, CancellationToken aborted) =>
        Task.WhenAll(Enumerable.Range(0, stage.Users).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && clock.Elapsed is var now && now < stageEnd)
            {
                recorder.RecordScheduled(stageIndex, now);
                await sender.SendAsync(stageIndex, now, aborted).ConfigureAwait(false);
            }
        }, CancellationToken.None)));
}
