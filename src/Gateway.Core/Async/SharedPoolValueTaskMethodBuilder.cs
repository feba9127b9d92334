using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Gateway.Core.Async;

/// <summary>
/// Builds <see cref="ValueTask{TResult}"/> async methods whose state machine, when the method has to wait, lives in a box
/// taken from a shared pool (<see cref="SharedPoolStateMachineBox{TResult, TStateMachine}"/>) and handed back once the
/// result is read. Meant for the per-request methods that wait on the network with one call in flight per connection:
/// the runtime's <see cref="PoolingAsyncValueTaskMethodBuilder{TResult}"/> keeps about one box per core, so with many
/// connections waiting at once nearly every call would allocate its box.
/// </summary>
internal struct SharedPoolValueTaskMethodBuilder<TResult>
{
    private SharedPoolStateMachineBox<TResult>? _box;
    private Exception? _exception;
    private TResult _result;

    /// <summary>The builder for one call.</summary>
    public static SharedPoolValueTaskMethodBuilder<TResult> Create() => default;

    /// <summary>The call's task: its result at once when it never waited, else the box.</summary>
    public readonly ValueTask<TResult> Task =>
        _box is { } box ? new ValueTask<TResult>(box, box.Version)
        : _exception is { } exception ? ValueTask.FromException<TResult>(exception)
        : new ValueTask<TResult>(_result);

    /// <summary>Runs the method up to its first wait, with the caller's execution context restored afterwards.</summary>
    [SuppressMessage("Performance", "CA1822", Justification = "The compiler calls a builder's members on its instance.")]
    public readonly void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine =>
        AsyncValueTaskMethodBuilder<TResult>.Create().Start(ref stateMachine);

    /// <summary>Not used: the box holds the state machine.</summary>
    [SuppressMessage("Performance", "CA1822", Justification = "The compiler calls a builder's members on its instance.")]
    public readonly void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    /// <summary>Completes the call with <paramref name="result"/>.</summary>
    public void SetResult(TResult result)
    {
        if (_box is null)
        {
            _result = result;
        }
        else
        {
            _box.SetResult(result);
        }
    }

    /// <summary>Completes the call with <paramref name="exception"/>.</summary>
    public void SetException(Exception exception)
    {
        if (_box is null)
        {
            _exception = exception;
        }
        else
        {
            _box.SetException(exception);
        }
    }

    /// <summary>Resumes the method when <paramref name="awaiter"/> completes, flowing the execution context.</summary>
    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(BoxFor(ref stateMachine).MoveNextAction);

    /// <summary>Resumes the method when <paramref name="awaiter"/> completes, flowing the execution context.</summary>
    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine =>
        awaiter.UnsafeOnCompleted(BoxFor(ref stateMachine).MoveNextAction);

    /// <summary>
    /// The call's box, taken from the pool at its first wait. The box is noted in this builder before the state machine
    /// (which holds the builder) is copied into it, so the copy finds its box when it completes.
    /// </summary>
    private SharedPoolStateMachineBox<TResult, TStateMachine> BoxFor<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        if (_box is SharedPoolStateMachineBox<TResult, TStateMachine> box)
        {
            box.Context = ExecutionContext.Capture();
            return box;
        }

        box = SharedPoolStateMachineBox<TResult, TStateMachine>.Rent();
        _box = box;
        box.StateMachine = stateMachine;
        box.Context = ExecutionContext.Capture();
        return box;
    }
}
