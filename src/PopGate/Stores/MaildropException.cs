using PopGate.Protocol;

namespace PopGate.Stores;

/// <summary>A maildrop could not be opened or committed; <see cref="Code"/> is the RFC 3206 response code to send.</summary>
public sealed class MaildropException : Exception
{
    public MaildropException(string code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    public MaildropException()
        : this(ResponseCodes.SysTemp, "maildrop unavailable")
    {
    }

    public MaildropException(string message)
        : this(ResponseCodes.SysTemp, message)
    {
    }

    public MaildropException(string message, Exception inner)
        : this(ResponseCodes.SysTemp, message, inner)
    {
    }

    /// <summary>IN-USE, SYS/TEMP, SYS/PERM or AUTH.</summary>
    public string Code { get; }

    public static MaildropException InUse() => new(ResponseCodes.InUse, "maildrop already locked by another session");
}
