namespace PopGate.Interop.Fetch;

/// <summary>A POP3 account with mail in it, on a peer server started by the tests.</summary>
public sealed record FetchMailbox(string Host, int Port, string User, string Password, Func<int> ServerCount, Func<IEnumerable<byte[]>, Task> AddAsync)
{
    public string Spec => $"tcp:{User}@{Host}:{Port}";

    /// <summary>The same account reached through another port (a proxy in front of the server).</summary>
    public string SpecThrough(int port) => $"tcp:{User}@{Host}:{port}";
}

/// <summary>A peer server that hands out mailboxes holding given messages.</summary>
public interface IFetchPeer
{
    /// <summary>A mailbox holding exactly these messages (an earlier one of the same peer may be emptied for it).</summary>
    Task<FetchMailbox> MailboxAsync(IReadOnlyList<byte[]> messages);
}
