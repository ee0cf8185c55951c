using PopGate.Stores;

namespace PopGate.Imap;

/// <summary>Says where the body sections of FETCH responses go while a response is read.</summary>
internal interface IResponseHandler
{
    /// <summary>The sink for a section (BODY[], BODY[TEXT]&lt;0&gt;, ...) of a FETCH response, or null to keep small
    /// sections in <see cref="FetchData.Sections"/> (larger ones are then read and dropped).</summary>
    /// <param name="sequence">The message sequence number of the FETCH response.</param>
    /// <param name="section">The item name in upper case, as the server spelled it.</param>
    IMessageSink? SinkFor(long sequence, string section);
}
