using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace Gateway.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project bench/Gateway.Benchmarks -- --filter '*'</c> runs every benchmark,
/// <c>--filter '*Parser*'</c> one class. Any other BenchmarkDotNet option (<c>--list flat</c>, <c>--job</c>, ...) works too.
/// </summary>
/// <remarks>
/// The config applied to every class:
/// <list type="bullet">
/// <item>The memory diagnoser: every table has Gen0 and Allocated (bytes per operation). The parser and the router
/// must show "-" (0 B).</item>
/// <item>The default job (one launch, pilot stage to pick the invocation count, ~0.5 s iterations) with 3 warm-up and
/// 10 measured iterations instead of BenchmarkDotNet's adaptive 6-50 + 15-100: about 10 s per benchmark, which keeps a
/// full run to a few minutes on a 2-core machine while the error bars stay a few percent. ShortRun (3 iterations)
/// is too noisy to compare runs. It is marked as the config's default job, so command-line job options such as
/// <c>--iterationCount</c>, <c>--warmupCount</c> or <c>--launchCount</c> apply on top of it (BenchmarkDotNet prefers a
/// config's default job to <c>--job</c>).</item>
/// <item>Median and Min columns beside Mean: on a shared 2-core machine other processes only ever add time, so the
/// lower statistics are the steadier signal when the Error column is wide.</item>
/// <item>Runtime settings come from Directory.Build.props like the gateway itself (workstation GC, non-concurrent,
/// tiered PGO), so the numbers are those of the shipped binary's settings.</item>
/// </list>
/// </remarks>
internal static class Program
{
    private static void Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).AsDefault())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
