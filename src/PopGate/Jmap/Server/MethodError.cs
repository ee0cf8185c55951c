namespace PopGate.Jmap.Server;

/// <summary>A method-level error (RFC 8620 section 3.6.2): the call answers ["error", {type, description}, id].</summary>
internal sealed class MethodError : Exception
{
    public MethodError(string type, string? description = null)
        : base(description ?? type)
    {
        Type = type;
        Description = description;
    }

    public MethodError()
        : this(JmapNames.ServerFail)
    {
    }

    public MethodError(string message, Exception inner)
        : base(message, inner)
    {
        Type = JmapNames.ServerFail;
        Description = message;
    }

    public string Type { get; }
    public string? Description { get; }

    public static MethodError Invalid(string description) => new(JmapNames.InvalidArguments, description);
}
