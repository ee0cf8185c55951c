namespace PopGate.Client;

/// <summary>How a connection is protected.</summary>
public enum ConnectionSecurity
{
    /// <summary>TLS from the first byte (pop3s, port 995).</summary>
    Tls,

    /// <summary>Plain TCP upgraded with STLS before logging in (port 110); fails when the server offers no STLS.</summary>
    StartTls,

    /// <summary>Plain TCP, no TLS at all.</summary>
    None,
}
