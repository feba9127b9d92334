using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Gateway.Core.Async;

namespace Gateway.Core.Tests.Async;

/// <summary>
/// Async methods built with the shared-pool builder: results, exceptions and the execution context come through as with
/// any async method, and calls that wait many at a time reuse pooled boxes instead of allocating one each.
/// </summary>
public sealed class SharedPoolValueTaskMethodBuilderTests
{
    private static readonly AsyncLocal<string?> Ambient = new();

    [Fact]
    public async Task CallThatNeverWaitsReturnsItsResult() =>
        Assert.Equal(42, await AddAsync(null, 41));

    [Fact]
    public async Task CallThatWaitsReturnsItsResultWhenResumed()
    {
        var gate = new Gate();
        var call = AddAsync(gate, 1);
        Assert.False(call.IsCompleted);

        gate.Open(41);

        Assert.Equal(42, await call);
    }

    [Fact]
    public async Task ExceptionsReachTheCallerWhetherOrNotTheCallWaited()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await FailAsync(null));
        var gate = new Gate();
        var call = FailAsync(gate);
        gate.Open(0);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await call);
    }

    [Fact]
    public async Task ExecutionContextFlowsAcrossTheWait()
    {
        var gate = new Gate();
        Ambient.Value = "caller";
        var call = ReadAmbientAfterWaitAsync(gate);

        // The gate opens from a context without the value: the method must resume in its own.
        Ambient.Value = null;
        gate.Open(0);

        Assert.Equal("caller", await call);
    }

    [Fact]
    public void ManyCallsWaitingAtOnceReuseTheirBoxes()
    {
        var gates = Enumerable.Range(0, 64).Select(_ => new Gate()).ToArray();
        var calls = new ValueTask<int>[gates.Length];
        var expected = gates.Length * (gates.Length + 1) / 2;
        Assert.Equal(expected, RunRound(gates, calls));
        var before = GC.GetAllocatedBytesForCurrentThread();

        var total = 0;
        for (var round = 0; round < 10; round++)
        {
            total += RunRound(gates, calls);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10 * expected, total);

        // A box per call would be 640 objects of some 100 bytes each.
        Assert.True(allocated < 4096, $"waiting calls should reuse pooled boxes, but 640 calls allocated {allocated} bytes");
    }

    /// <summary>Starts a call per gate, all waiting at once, then opens the gates in turn; returns the sum of the results.</summary>
    private static int RunRound(Gate[] gates, ValueTask<int>[] calls)
    {
        for (var i = 0; i < gates.Length; i++)
        {
            gates[i].Reset();
#pragma warning disable CA2012 // Held so that all the calls wait at once; each is consumed exactly once below.
            calls[i] = AddAsync(gates[i], i);
#pragma warning restore CA2012
        }

        var sum = 0;
        for (var i = 0; i < gates.Length; i++)
        {
            gates[i].Open(1);
            sum += calls[i].GetAwaiter().GetResult();
        }

        return sum;
    }

    [AsyncMethodBuilder(typeof(SharedPoolValueTaskMethodBuilder<>))]
    private static async ValueTask<int> AddAsync(Gate? gate, int value) =>
        value + (gate is null ? 1 : await gate.WaitAsync().ConfigureAwait(false));

    [AsyncMethodBuilder(typeof(SharedPoolValueTaskMethodBuilder<>))]
    private static async ValueTask<int> FailAsync(Gate? gate)
    {
        if (gate is not null)
        {
            await gate.WaitAsync().ConfigureAwait(false);
        }

        throw new InvalidOperationException("failed");
    }

    [AsyncMethodBuilder(typeof(SharedPoolValueTaskMethodBuilder<>))]
    private static async ValueTask<string?> ReadAmbientAfterWaitAsync(Gate gate)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        return Ambient.Value;
    }

    /// <summary>A reusable wait that completes when opened, resuming its waiter on the opening thread, without allocating.</summary>
    private sealed class Gate : IValueTaskSource<int>
    {
        private ManualResetValueTaskSourceCore<int> _source;

        public ValueTask<int> WaitAsync() => new(this, _source.Version);

        public void Open(int value) => _source.SetResult(value);

        public void Reset() => _source.Reset();

        public int GetResult(short token) => _source.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _source.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _source.OnCompleted(continuation, state, token, flags);
    }
}
