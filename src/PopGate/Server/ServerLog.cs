using Microsoft.Extensions.Logging;

namespace PopGate.Server;

/// <summary>The server's log messages. No password or SASL payload is ever passed to any of them.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Listening on {EndPoint} ({Mode})")]
    public static partial void Listening(ILogger logger, string endPoint, string mode);

    [LoggerMessage(2, LogLevel.Debug, "Session {Session} from {Remote}")]
    public static partial void SessionStarted(ILogger logger, long session, string remote);

    [LoggerMessage(3, LogLevel.Debug, "Session {Session} ended")]
    public static partial void SessionEnded(ILogger logger, long session);

    [LoggerMessage(4, LogLevel.Information, "Session {Session}: {User} logged in with {Method}, {Count} messages")]
    public static partial void LoggedIn(ILogger logger, long session, string user, string method, int count);

    [LoggerMessage(5, LogLevel.Warning, "Session {Session}: failed login for {User} with {Method} from {Remote}")]
    public static partial void LoginFailed(ILogger logger, long session, string user, string method, string remote);

    [LoggerMessage(6, LogLevel.Information, "Session {Session}: {User} quit, {Deleted} messages deleted")]
    public static partial void Committed(ILogger logger, long session, string user, int deleted);

    [LoggerMessage(7, LogLevel.Warning, "Session {Session}: maildrop of {User} unavailable [{Code}]: {Reason}")]
    public static partial void MaildropUnavailable(ILogger logger, long session, string user, string code, string reason);

    [LoggerMessage(8, LogLevel.Warning, "Session {Session}: transfer to {User} failed: {Reason}")]
    public static partial void TransferFailed(ILogger logger, long session, string user, string reason);

    [LoggerMessage(9, LogLevel.Debug, "Session {Session}: connection ended ({Kind}: {Reason})")]
    public static partial void ConnectionLost(ILogger logger, long session, string kind, string reason);

    [LoggerMessage(10, LogLevel.Error, "Session {Session} failed")]
    public static partial void SessionCrashed(ILogger logger, Exception exception, long session);

    [LoggerMessage(11, LogLevel.Warning, "Refused a connection from {Remote}: {Reason}")]
    public static partial void Refused(ILogger logger, string remote, string reason);

    [LoggerMessage(12, LogLevel.Warning, "Accepting connections failed on {EndPoint}")]
    public static partial void AcceptFailed(ILogger logger, Exception exception, string endPoint);
}
