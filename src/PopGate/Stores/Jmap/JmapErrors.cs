using PopGate.Jmap;
using PopGate.Protocol;

namespace PopGate.Stores.Jmap;

/// <summary>Maps JMAP failures onto the POP3 response codes a maildrop reports.</summary>
internal static class JmapErrors
{
    public static MaildropException ToMaildrop(JmapException e) => e.Failure switch
    {
        JmapFailure.Auth => new MaildropException(ResponseCodes.Auth, "the JMAP server refused the credentials", e),
        JmapFailure.Temporary => new MaildropException(ResponseCodes.SysTemp, e.Message, e),
        // A blob that vanished was removed by another client during the session: that passes.
        _ when e.ErrorType == JmapNames.NotFound => new MaildropException(ResponseCodes.SysTemp, "message was removed by another client", e),
        _ => new MaildropException(ResponseCodes.SysPerm, e.Message, e),
    };
}
