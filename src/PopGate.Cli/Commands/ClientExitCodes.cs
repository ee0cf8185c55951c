namespace PopGate.Cli.Commands;

/// <summary>Exit statuses of the client commands (info, ls, get, rm).</summary>
internal static class ClientExitCodes
{
    public const int Ok = 0;

    /// <summary>Something asked for could not be done (a message not found, a file not written).</summary>
    public const int Failed = 1;

    public const int Usage = 2;

    /// <summary>Connection refused, name not resolved, connection lost, timeout.</summary>
    public const int Connection = 3;

    /// <summary>TLS failed: handshake, untrusted or mismatched certificate, no STLS.</summary>
    public const int Tls = 4;

    /// <summary>No credentials, or the server refused them.</summary>
    public const int Authentication = 5;

    /// <summary>The server refused a command or broke the protocol.</summary>
    public const int Server = 6;

    public const int Interrupted = 130;
}
