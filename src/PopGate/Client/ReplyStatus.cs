namespace PopGate.Client;

/// <summary>The kind of a reply's first line.</summary>
public enum ReplyStatus
{
    /// <summary>"+OK".</summary>
    Ok,

    /// <summary>"-ERR".</summary>
    Error,

    /// <summary>"+ " followed by base64: a SASL challenge during AUTH.</summary>
    Continuation,
}
