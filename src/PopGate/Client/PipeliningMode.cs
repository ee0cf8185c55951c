namespace PopGate.Client;

/// <summary>Whether commands are written ahead of their replies.</summary>
public enum PipeliningMode
{
    /// <summary>Write ahead when the server announces PIPELINING; one command at a time otherwise (RFC 2449).</summary>
    Auto,

    /// <summary>Always write ahead, even when the server does not announce it.</summary>
    Always,

    /// <summary>Never: each command waits for the previous reply.</summary>
    Never,
}
