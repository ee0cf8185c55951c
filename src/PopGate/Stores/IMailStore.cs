namespace PopGate.Stores;

/// <summary>One configured source of mail: a Maildir, an mbox file, an IMAP folder, another POP3 account...</summary>
public interface IMailStore
{
    /// <summary>Locks the maildrop and takes the snapshot a session works on.</summary>
    /// <exception cref="MaildropException">The maildrop is in use, unreachable, or refused the credentials.</exception>
    ValueTask<IMaildrop> OpenAsync(MaildropRequest request, CancellationToken cancellationToken);
}
