namespace PopGate.Jmap.Server;

/// <summary>A request-level error (RFC 8620 section 3.6.1), sent as RFC 7807 problem details with a status.</summary>
internal sealed class RequestProblem : Exception
{
    public RequestProblem(string type, string detail, int status = 400, string? limit = null)
        : base(detail)
    {
        Type = type;
        Status = status;
        Limit = limit;
    }

    public RequestProblem()
        : this(JmapNames.NotRequest, "not a JMAP request")
    {
    }

    public RequestProblem(string message, Exception inner)
        : base(message, inner)
    {
        Type = JmapNames.NotRequest;
        Status = 400;
    }

    public string Type { get; }
    public int Status { get; }

    /// <summary>For "limit": which limit was hit.</summary>
    public string? Limit { get; }
}
