namespace Gateway.Fuzz;

/// <summary>An input broke one of the parser's invariants; the message says which one and how.</summary>
public sealed class InvariantViolationException : Exception
{
    /// <summary>A violation described by <paramref name="message"/>.</summary>
    public InvariantViolationException(string message)
        : base(message)
    {
    }
}
