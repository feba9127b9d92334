using System.Text;
using Gateway.Core.Pipeline;

namespace Gateway.Core.Authentication;

/// <summary>
/// A route's authentication: the request must satisfy one of the route's authenticators, tried in order (401 otherwise).
/// The consumer it names is the request's consumer (logged, and what Consumer-keyed rate limits count), and the route's
/// identity fields carry it to the upstream. Credentials that travel in the query were taken out of it by the route's
/// <see cref="QueryCredentialStep"/>.
/// </summary>
public sealed class AuthenticationStep : RouteStep
{
    private readonly IAuthenticator[] _authenticators;
    private readonly (byte[] Name, string Source)[] _identityFields;
    private readonly string _refusal;

    /// <summary>Tries <paramref name="authenticators"/> in order; <paramref name="identityFields"/> maps upstream field names to "consumer" or a claim.</summary>
    public AuthenticationStep(IAuthenticator[] authenticators, IReadOnlyDictionary<string, string> identityFields)
    {
        _authenticators = authenticators;
        _identityFields = [.. identityFields.Select(field => (Encoding.ASCII.GetBytes(field.Key), field.Value))];
        _refusal = $"The request needs valid credentials: {string.Join(", or ", authenticators.Select(a => a.Expected))}.";
    }

    /// <inheritdoc/>
    public override StepStage Stage => StepStage.Authentication;

    /// <inheritdoc/>
    public override ValueTask<StepOutcome> OnRequestAsync(RequestContext context)
    {
        for (var i = 0; i < _authenticators.Length; i++)
        {
            var pending = _authenticators[i].AuthenticateAsync(context);
            if (!pending.IsCompletedSuccessfully)
            {
                return ContinueAsync(context, i, pending);
            }

            if (pending.Result is { } consumer)
            {
                return new ValueTask<StepOutcome>(Finish(context, consumer));
            }
        }

        return new ValueTask<StepOutcome>(Finish(context, null));
    }

    /// <summary>The rest of <see cref="OnRequestAsync"/> once authenticator <paramref name="index"/> has to wait (a token to validate).</summary>
    private async ValueTask<StepOutcome> ContinueAsync(RequestContext context, int index, ValueTask<string?> pending)
    {
        var consumer = await pending.ConfigureAwait(false);
        for (var i = index + 1; consumer is null && i < _authenticators.Length; i++)
        {
            consumer = await _authenticators[i].AuthenticateAsync(context).ConfigureAwait(false);
        }

        return Finish(context, consumer);
    }

    private StepOutcome Finish(RequestContext context, string? consumer)
    {
        if (consumer is null)
        {
            foreach (var authenticator in _authenticators)
            {
                if (authenticator.Challenge(context))
                {
                    break;
                }
            }

            return StepOutcome.Problem(401, _refusal);
        }

        context.Consumer = consumer;
        foreach (var (name, source) in _identityFields)
        {
            var value = source == Configuration.AuthenticationConfigValidator.ConsumerSource ? consumer : context.Claims?.FindFirst(source)?.Value;
            if (value is not null)
            {
                SetIdentityField(context, name, value);
            }
        }

        return StepOutcome.Continue;
    }

    /// <summary>
    /// Sends <paramref name="value"/> (as UTF-8) in field <paramref name="name"/>, unless it holds a control character: a claim
    /// is the identity provider's data, and may never split the upstream request's head.
    /// </summary>
    private static void SetIdentityField(RequestContext context, byte[] name, string value)
    {
        if (value.AsSpan().ContainsAnyInRange('\0', '\u001f') || value.Contains('\u007f', StringComparison.Ordinal))
        {
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        Span<byte> bytes = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(value, bytes);
        context.UpstreamFields.Set(name, bytes);
    }
}
