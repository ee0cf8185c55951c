namespace PopGate.Client;

/// <summary>
/// The destination of a body failed (disk full, consumer threw) after the body was read to its end: only that
/// command fails, and the connection stays in step.
/// </summary>
internal sealed class BodyTargetException : Exception
{
    public BodyTargetException(Exception inner)
        : base(inner.Message, inner)
    {
    }
}
