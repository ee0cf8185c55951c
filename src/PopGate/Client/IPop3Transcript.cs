namespace PopGate.Client;

/// <summary>
/// Receives each protocol line as it crosses the wire: client lines with passwords, APOP digests and SASL payloads
/// replaced by "********", and server lines as sent (message bodies are summarised, not copied). Called from the
/// client's reading and writing loops concurrently, so implementations must be thread-safe.
/// </summary>
public interface IPop3Transcript
{
    void ClientLine(string line);

    void ServerLine(string line);
}
