using Gateway.Core.Http;
using Gateway.Core.Pipeline;

namespace Gateway.Host.Tests.Pipeline;

/// <summary>Goes on, and tags every response it sees with its name and the status.</summary>
internal sealed class Tagging(string name, StepStage stage) : RouteStep
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public override StepStage Stage => stage;

    public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context)
    {
        Interlocked.Increment(ref _requests);
        return ValueTask.FromResult(StepOutcome.Continue);
    }

    public override IResponseBodyObserver? OnResponse(RequestContext context, int status, IFieldList fields)
    {
        context.ResponseFields.Added.Add("X-Step"u8, $"{name} saw {status}");
        return null;
    }
}

/// <summary>Watches the body of the one response it sees.</summary>
internal sealed class Watching : RouteStep, IResponseBodyObserver
{
    private readonly List<byte> _body = [];

    public TaskCompletionSource<(byte[] Body, bool Complete)> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override StepStage Stage => StepStage.CacheLookup;

    public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context) => ValueTask.FromResult(StepOutcome.Continue);

    public override IResponseBodyObserver? OnResponse(RequestContext context, int status, IFieldList fields) => this;

    public void OnBody(ReadOnlySpan<byte> data) => _body.AddRange(data);

    public void OnEnd(bool complete) => Ended.TrySetResult((_body.ToArray(), complete));
}
