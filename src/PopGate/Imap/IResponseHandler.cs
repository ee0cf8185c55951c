using PopGate.Stores;

namespace PopGate.Imap;

/// <summary>Says where the body sections of FETCH responses go while a response is read.</summary>
internal interface IResponseHandler
{
    /// <summary>The sink for a section (BODY[], BODY[TEXT]&lt;0&gt;, ...) of a FETCH response, or null to keep small
    /// sections in <see cref="FetchData.Sections"/> (larger ones are then read and dropped).</summary>
    /// <param name="fetch">The FETCH response read so far: its sequence number, and its UID when the server sent
    /// that before the section (servers put it first).</param>
    /// <param name="section">The item name in upper case, as the server spelled it.</param>
    /// <param name="length">The section's length in octets as the server announced it (a literal's header).</param>
    IMessageSink? SinkFor(FetchData fetch, string section, long length);
}
