using System.Net.Sockets;
using PopGate.Imap;
using PopGate.Protocol;

namespace PopGate.Stores.Imap;

/// <summary>Turns what went wrong upstream into the response code a POP3 client gets.</summary>
internal static class UpstreamFailure
{
    /// <summary>Unreachable, timed out, closed, said BYE or NO to something else than the login: try again later.</summary>
    public static MaildropException Of(Exception e, string doing) => e switch
    {
        MaildropException known => known,
        ImapProtocolException or ImapCommandException or IOException or SocketException =>
            new MaildropException(ResponseCodes.SysTemp, $"upstream IMAP server, {doing}: {e.Message}", e),
        _ => new MaildropException(ResponseCodes.SysTemp, $"upstream IMAP server, {doing}: {e.GetType().Name}", e),
    };

    /// <summary>A refused login is AUTH, unless the server says it is its own trouble (RFC 5530 UNAVAILABLE, SERVERBUG).</summary>
    public static MaildropException Login(BatchItem login)
    {
        var status = login.Status!;
        var code = status.Code is "UNAVAILABLE" or "SERVERBUG" or "LIMIT" ? ResponseCodes.SysTemp : ResponseCodes.Auth;
        return new MaildropException(code, $"upstream IMAP login refused: {status.Text}");
    }
}
