using PopGate.Stores;

namespace PopGate.Imap;

/// <summary>
/// A command in a pipelined batch together with what it collects from the untagged responses that arrive while
/// it is the oldest command in flight (a server answers commands in order, so those are its own).
/// </summary>
public class BatchItem
{
    public BatchItem(ImapCommand command) => Command = command;

    public ImapCommand Command { get; }

    /// <summary>The tagged reply, once it came.</summary>
    public ImapStatusResponse? Status { get; private set; }

    public bool Succeeded => Status?.Status == ImapStatus.Ok;

    /// <summary>When it fails, the commands of its batch not yet sent are skipped (a login before a listing).</summary>
    public bool Required { get; init; }

    /// <summary>True when the command was never sent because a required one before it failed.</summary>
    public bool Skipped { get; private set; }

    internal IReadOnlyList<byte[]>? Parts { get; set; }

    internal int NextPart { get; set; }

    /// <summary>Throws <see cref="ImapCommandException"/> unless the server answered OK.</summary>
    public void EnsureOk()
    {
        if (!Succeeded)
        {
            throw new ImapCommandException(Command.Name, Status ?? new ImapStatusResponse(null, ImapStatus.No, null, null, "no reply"));
        }
    }

    /// <summary>An untagged response while this command was the oldest in flight.</summary>
    public virtual void OnUntagged(ImapResponse response)
    {
    }

    /// <summary>Where a section literal of <paramref name="length"/> octets of a FETCH response goes (null: keep
    /// small ones in memory).</summary>
    public virtual IMessageSink? SinkFor(FetchData fetch, string section, long length) => null;

    internal void Skip()
    {
        Skipped = true;
        Status = new ImapStatusResponse(null, ImapStatus.No, null, null, "not sent: an earlier command failed");
    }

    internal void Complete(ImapStatusResponse status)
    {
        Status = status;
        OnCompleted(status);
    }

    protected virtual void OnCompleted(ImapStatusResponse status)
    {
    }
}
