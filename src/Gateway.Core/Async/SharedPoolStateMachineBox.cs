using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Microsoft.Extensions.ObjectPool;

namespace Gateway.Core.Async;

/// <summary>The task source of one waiting call of a <see cref="SharedPoolValueTaskMethodBuilder{TResult}"/> method; goes back to its pool once the result is read.</summary>
internal abstract class SharedPoolStateMachineBox<TResult> : IValueTaskSource<TResult>
{
    private ManualResetValueTaskSourceCore<TResult> _source;

    /// <summary>The version a task of the current call carries.</summary>
    public short Version => _source.Version;

    /// <summary>Completes the call; the awaiting code resumes on this thread.</summary>
    public void SetResult(TResult result) => _source.SetResult(result);

    /// <summary>Fails the call.</summary>
    public void SetException(Exception exception) => _source.SetException(exception);

    /// <inheritdoc/>
    public TResult GetResult(short token)
    {
        try
        {
            return _source.GetResult(token);
        }
        finally
        {
            _source.Reset();
            ReturnToPool();
        }
    }

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _source.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    /// <summary>Forgets the finished call and makes the box available to the next one.</summary>
    private protected abstract void ReturnToPool();
}

/// <summary>The box for calls of one async method (<typeparamref name="TStateMachine"/>): holds its state machine while it waits.</summary>
internal sealed class SharedPoolStateMachineBox<TResult, TStateMachine> : SharedPoolStateMachineBox<TResult>
    where TStateMachine : IAsyncStateMachine
{
    /// <summary>Boxes kept for reuse: enough for every connection of a busy gateway to have a call waiting.</summary>
    private static readonly ObjectPool<SharedPoolStateMachineBox<TResult, TStateMachine>> Pool =
        new DefaultObjectPool<SharedPoolStateMachineBox<TResult, TStateMachine>>(new DefaultPooledObjectPolicy<SharedPoolStateMachineBox<TResult, TStateMachine>>(), 4096);

    private static readonly ContextCallback MoveNextInContext = static box => ((SharedPoolStateMachineBox<TResult, TStateMachine>)box!).StateMachine.MoveNext();

    /// <summary>Creates an empty box (the pool does).</summary>
    public SharedPoolStateMachineBox() => MoveNextAction = MoveNext;

    /// <summary>What an awaiter calls to resume the method.</summary>
    public Action MoveNextAction { get; }

    /// <summary>The waiting method's state.</summary>
    internal TStateMachine StateMachine = default!;

    /// <summary>The execution context captured at the wait, restored to resume.</summary>
    internal ExecutionContext? Context;

    /// <summary>A box from the pool, or a new one.</summary>
    internal static SharedPoolStateMachineBox<TResult, TStateMachine> Rent() => Pool.Get();

    /// <inheritdoc/>
    private protected override void ReturnToPool()
    {
        StateMachine = default!;
        Context = null;
        Pool.Return(this);
    }

    private void MoveNext()
    {
        if (Context is { } context)
        {
            ExecutionContext.Run(context, MoveNextInContext, this);
        }
        else
        {
            StateMachine.MoveNext();
        }
    }
}
