using System.Globalization;

namespace PopGate.Imap;

/// <summary>SELECT (or EXAMINE for read-only): collects EXISTS, UIDVALIDITY and UIDNEXT.</summary>
public sealed class SelectItem : BatchItem
{
    private readonly ImapClient _client;
    private readonly string _name;
    private readonly bool _readOnly;
    private long _exists;
    private uint? _uidValidity;
    private uint? _uidNext;

    internal SelectItem(ImapClient client, string name, bool readOnly)
        : base(new ImapCommand(readOnly ? "EXAMINE" : "SELECT", client.Literals).AString(MailboxName.Encode(name)))
    {
        _client = client;
        _name = name;
        _readOnly = readOnly;
    }

    /// <summary>The mailbox, once the server answered OK.</summary>
    public ImapMailbox? Mailbox { get; private set; }

    public override void OnUntagged(ImapResponse response)
    {
        switch (response)
        {
            case ImapNumberedResponse { Name: "EXISTS" } exists:
                _exists = exists.Number;
                break;
            case ImapStatusResponse { Code: "UIDVALIDITY", CodeArguments: { } value }
                when uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var validity):
                _uidValidity = validity;
                break;
            case ImapStatusResponse { Code: "UIDNEXT", CodeArguments: { } value }
                when uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var next):
                _uidNext = next;
                break;
        }
    }

    protected override void OnCompleted(ImapStatusResponse status)
    {
        if (status.Status != ImapStatus.Ok)
        {
            // A failed SELECT leaves no mailbox selected (RFC 3501 6.3.1).
            _client.OnSelected(null);
            return;
        }

        if (_uidValidity is null)
        {
            throw new ImapProtocolException($"the server gave no UIDVALIDITY for {_name}");
        }

        Mailbox = new ImapMailbox(_name, _uidValidity.Value, _exists, _uidNext, _readOnly || status.Code == "READ-ONLY");
        _client.OnSelected(Mailbox);
    }
}
