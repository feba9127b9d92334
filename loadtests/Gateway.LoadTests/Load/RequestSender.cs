namespace Gateway.LoadTests.Load;

using Gateway.LoadTests.Recording;

/// <summary>Sends one scenario request, reads the whole response and records the outcome; the one place both load models send through.</summary>
internal sealed class RequestSender(
    HttpMessageInvoker client, Func<long, HttpRequestMessage> createRequest, RunRecorder recorder, RunClock clock, TimeSpan timeout)
{
    private long _sequence;

    /// <summary>Sends a request due at <paramref name="intended"/> (run time) for stage <paramref name="stage"/>; never throws.</summary>
    public async Task SendAsync(int stage, TimeSpan intended, CancellationToken aborted)
    {
        using var request = createRequest(Interlocked.Increment(ref _sequence));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(timeout);
        var started = clock.Elapsed;
        try
        {
            using var response = await client.SendAsync(request, deadline.Token).ConfigureAwait(false);
            await response.Content.CopyToAsync(Stream.Null, deadline.Token).ConfigureAwait(false);
            recorder.RecordResponse(stage, intended, started, clock.Elapsed, (int)response.StatusCode);
        }
        catch (OperationCanceledException)
        {
            recorder.RecordFailure(stage, clock.Elapsed, aborted.IsCancellationRequested ? "aborted" : "timeout");
        }
        catch (HttpRequestException ex)
        {
            recorder.RecordFailure(stage, clock.Elapsed, ex.HttpRequestError.ToString());
        }
        catch (IOException ex)
        {
            recorder.RecordFailure(stage, clock.Elapsed, ex.GetType().Name);
        }
    }
}
