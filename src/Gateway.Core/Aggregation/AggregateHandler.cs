using System.Text;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Aggregation;

/// <summary>
/// A route handler that answers one request with several upstream calls: every part starts at once unless its target
/// uses another part's field, then it starts when that part has answered (and fails with it when it failed). The parts'
/// JSON is merged into one answer. An optional part that fails is left out, listed in <c>errors</c> and in
/// <c>X-Aggregate-Missing</c>; a required part that fails makes the answer a 502 naming it. Past the aggregate's timeout
/// the parts still running are cut off: a 504 naming them when one is required, else the answer without them.
/// </summary>
internal sealed class AggregateHandler(AggregatePart[] parts, int[] startOrder, TimeSpan? timeout, bool mergeTop) : IRouteHandler
{
    private static readonly byte[] MissingField = "X-Aggregate-Missing"u8.ToArray();

    /// <summary>The parts' names, in configuration order.</summary>
    public IEnumerable<string> PartNames => parts.Select(part => part.Name);

    /// <inheritdoc/>
    public async ValueTask HandleAsync(RequestContext context, IResponseSink response, CancellationToken cancellationToken)
    {
        using var cutOff = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new Task<PartAnswer>[parts.Length];
        foreach (var index in startOrder)
        {
            running[index] = RunPartAsync(index, running, context, cutOff.Token);
        }

        var all = Task.WhenAll(running);
        var late = new bool[parts.Length];
        if (timeout is { } limit)
        {
            try
            {
                await all.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                for (var i = 0; i < parts.Length; i++)
                {
                    late[i] = !running[i].IsCompleted;
                }

                await cutOff.CancelAsync().ConfigureAwait(false);
            }
        }

        var answers = await all.ConfigureAwait(false);
        for (var i = 0; i < parts.Length; i++)
        {
            if (late[i])
            {
                answers[i] = PartAnswer.Failed(504, $"it did not answer within the aggregate's {timeout!.Value.TotalMilliseconds:0} ms");
            }
        }

        if (Failed(answers, late, required: true, lateOnly: true) is { Length: > 0 } lateRequired)
        {
            await response.SendProblemAsync(504, $"The required {Named(lateRequired)} did not answer in time.").ConfigureAwait(false);
            return;
        }

        if (Failed(answers, late, required: true, lateOnly: false) is { Length: > 0 } failedRequired)
        {
            var detail = failedRequired.Length == 1 ? $": {answers[failedRequired[0]].Problem}."
                : $" ({string.Join("; ", failedRequired.Select(i => $"\"{parts[i].Name}\": {answers[i].Problem}"))}).";
            await response.SendProblemAsync(502, $"The required {Named(failedRequired)} failed{detail}").ConfigureAwait(false);
            return;
        }

        var answer = context.Response;
        answer.Reset(200);
        answer.Fields.Add("Content-Type"u8, "application/json"u8);
        if (Failed(answers, late, required: false, lateOnly: false) is { Length: > 0 } missing)
        {
            answer.Fields.Add(MissingField, Encoding.ASCII.GetBytes(string.Join(',', missing.Select(i => parts[i].Name))));
        }

        answer.Body = AggregateWriter.Write(parts, answers, mergeTop);
        await response.SendAsync(answer).ConfigureAwait(false);
    }

    /// <summary>Waits for the parts <paramref name="index"/> depends on, fills its target from them and calls it.</summary>
    private async Task<PartAnswer> RunPartAsync(int index, Task<PartAnswer>[] running, RequestContext context, CancellationToken cancellationToken)
    {
        var part = parts[index];
        var answers = new ReadOnlyMemory<byte>[parts.Length];
        foreach (var dependency in part.Target.Dependencies)
        {
            var answer = await running[dependency].ConfigureAwait(false);
            if (!answer.Succeeded)
            {
                return PartAnswer.Failed(424, $"it depends on the part \"{parts[dependency].Name}\", which failed");
            }

            answers[dependency] = answer.Body;
        }

        if (part.Target.Fill(context, answers, out var problem) is not { } target)
        {
            return PartAnswer.Failed(part.Target.Dependencies.Length > 0 ? 424 : 400, problem);
        }

        var called = await PartCall.RunAsync(part, target, context, cancellationToken).ConfigureAwait(false);
        return !called.Succeeded || AggregateWriter.IsValid(called.Body.Span, mustBeObject: mergeTop || part.Fields is not null) ? called
            : PartAnswer.Failed(502, mergeTop || part.Fields is not null ? "the upstream's answer is not a JSON object" : "the upstream's answer is not valid JSON");
    }

    /// <summary>The indexes of the failed parts that are required (or optional), only those cut off late when <paramref name="lateOnly"/>.</summary>
    private int[] Failed(PartAnswer[] answers, bool[] late, bool required, bool lateOnly) =>
        [.. Enumerable.Range(0, parts.Length).Where(i => !answers[i].Succeeded && parts[i].Optional != required && (!lateOnly || late[i]))];

    private string Named(int[] indexes) =>
        (indexes.Length == 1 ? "part " : "parts ") + string.Join(", ", indexes.Select(i => $"\"{parts[i].Name}\""));
}
