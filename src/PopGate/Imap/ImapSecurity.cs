namespace PopGate.Imap;

/// <summary>How the connection is protected.</summary>
public enum ImapSecurity
{
    /// <summary>TLS from the first byte (IMAPS, port 993).</summary>
    Ssl,

    /// <summary>Plain connect, then STARTTLS before anything else (port 143); refused if the server lacks it.</summary>
    StartTls,

    /// <summary>No TLS at all: passwords cross the network in clear. Only for loopback and tests.</summary>
    None,
}
