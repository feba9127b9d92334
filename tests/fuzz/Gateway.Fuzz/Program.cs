using Gateway.Fuzz;
using SharpFuzz;

// Without arguments: the AFL++ target (tests/fuzz/run.sh starts it). With file arguments: checks each file once and
// prints the invariant it breaks, to triage what AFL++ saved.
if (args.Length > 0)
{
    return Triage.Run(args);
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var input = new MemoryStream();
    stream.CopyTo(input);
    RequestInvariants.Check(input.GetBuffer().AsMemory(0, (int)input.Length));
});
return 0;
