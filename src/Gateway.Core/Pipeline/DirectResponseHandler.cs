using Gateway.Core.Http;

namespace Gateway.Core.Pipeline;

/// <summary>
/// A route handler that answers from the configuration: a status, fields whose values may use the route's parameters
/// (e.g. <c>Location: /v1/{rest}</c> for a moved API), and a fixed body. No upstream is called.
/// </summary>
public sealed class DirectResponseHandler(int status, IReadOnlyList<(byte[] Name, ValueTemplate Value)> fields, ReadOnlyMemory<byte> body) : IRouteHandler
{
    /// <summary>The detail of the 400 for a request whose parameters cannot fill the response's fields safely.</summary>
    public const string UnsafeParameterDetail = "The request path cannot fill the route's header templates safely.";

    /// <summary>The status it answers.</summary>
    public int Status => status;

    /// <inheritdoc/>
    public ValueTask HandleAsync(RequestContext context, IResponseSink response, CancellationToken cancellationToken)
    {
        foreach (var (_, value) in fields)
        {
            if (!value.IsSafeFor(context))
            {
                return response.SendProblemAsync(400, UnsafeParameterDetail);
            }
        }

        var answer = context.Response;
        answer.Reset(status);
        foreach (var (name, value) in fields)
        {
            value.AddTo(answer.Fields, name, context);
        }

        answer.Body = body;
        return response.SendAsync(answer);
    }
}
