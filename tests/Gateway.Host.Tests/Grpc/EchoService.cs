using Gateway.Host.Tests.Grpc.Protos;
using Grpc.Core;

namespace Gateway.Host.Tests.Grpc;

/// <summary>The test gRPC service: answers, streams, fails with a chosen status, or waits until its call is cancelled (and says so).</summary>
internal sealed class EchoService(EchoCalls calls) : Echo.EchoBase
{
    /// <inheritdoc/>
    public override async Task<EchoReply> Say(EchoRequest request, ServerCallContext context)
    {
        calls.Seen(context);
        if (request.FailWith != 0)
        {
            throw new RpcException(new Status((StatusCode)request.FailWith, request.Text));
        }

        if (request.DelayMs > 0)
        {
            try
            {
                await Task.Delay(request.DelayMs, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                calls.Cancelled.TrySetResult();
                throw;
            }
        }

        return new EchoReply { Text = "echo: " + request.Text };
    }

    /// <inheritdoc/>
    public override async Task Repeat(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        calls.Seen(context);
        for (var i = 0; i < request.Count; i++)
        {
            await responseStream.WriteAsync(new EchoReply { Text = request.Text, Index = i }, context.CancellationToken);
        }
    }
}

/// <summary>What the test service saw: the last call's request fields, and whether a waiting call was cancelled.</summary>
internal sealed class EchoCalls
{
    /// <summary>The request fields of the last call.</summary>
    public Metadata? LastHeaders { get; private set; }

    /// <summary>The last call's <c>te</c> field.</summary>
    public string? LastTe { get; private set; }

    /// <summary>The HTTP protocol the last call came in (e.g. <c>HTTP/2</c>).</summary>
    public string? LastProtocol { get; private set; }

    /// <summary>Completes when a waiting call is cancelled.</summary>
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Notes a call.</summary>
    public void Seen(ServerCallContext context)
    {
        LastHeaders = context.RequestHeaders;
        LastProtocol = context.GetHttpContext().Request.Protocol;
        LastTe = context.GetHttpContext().Request.Headers.TE;
    }
}
