namespace PopGate.Jmap;

/// <summary>How a JMAP failure should be treated by whoever asked.</summary>
public enum JmapFailure
{
    /// <summary>The credentials were refused (HTTP 401).</summary>
    Auth,

    /// <summary>Trying again later may work: network errors, timeouts, 5xx, 429, serverUnavailable.</summary>
    Temporary,

    /// <summary>The request or the server's answer is wrong in a way a retry will not fix.</summary>
    Permanent,
}

/// <summary>A JMAP exchange failed: at the HTTP level, as a request-level problem, or as a method error.</summary>
public sealed class JmapException : Exception
{
    public JmapException(JmapFailure failure, string message, string? errorType = null, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        ErrorType = errorType;
    }

    public JmapException()
        : this(JmapFailure.Temporary, "JMAP request failed")
    {
    }

    public JmapException(string message)
        : this(JmapFailure.Temporary, message)
    {
    }

    public JmapException(string message, Exception inner)
        : this(JmapFailure.Temporary, message, null, inner)
    {
    }

    public JmapFailure Failure { get; }

    /// <summary>The JMAP error type (e.g. "stateMismatch", "limit"), when the server named one.</summary>
    public string? ErrorType { get; }
}
