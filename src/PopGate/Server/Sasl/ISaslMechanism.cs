namespace PopGate.Server.Sasl;

/// <summary>The server side of one SASL exchange (RFC 4422), fed one decoded client response at a time.</summary>
internal interface ISaslMechanism
{
    /// <param name="response">The decoded response; null when AUTH came without an initial response.</param>
    ValueTask<SaslStep> StepAsync(byte[]? response, CancellationToken cancellationToken);
}
