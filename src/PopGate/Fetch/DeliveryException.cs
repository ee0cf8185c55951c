namespace PopGate.Fetch;

/// <summary>A message could not be delivered; the message says why in one line.</summary>
public sealed class DeliveryException : Exception
{
    public DeliveryException()
    {
    }

    public DeliveryException(string message)
        : base(message)
    {
    }

    public DeliveryException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
