using PopGate.Stores;

namespace PopGate.Imap;

public sealed partial class ImapClient
{
    /// <summary>A login by password (LOGIN or AUTHENTICATE PLAIN) or by OAuth2 token (XOAUTH2, OAUTHBEARER).</summary>
    /// <remarks>LOGIN can be pipelined with what follows (unless its password needs a synchronizing literal);
    /// AUTHENTICATE cannot: servers may drop what was sent after it. Auto therefore picks LOGIN, and PLAIN only
    /// when the server disabled LOGIN.</remarks>
    public BatchItem CreateLogin(string user, string secret, ImapAuthMechanism mechanism = ImapAuthMechanism.Auto)
    {
        if (mechanism == ImapAuthMechanism.Auto)
        {
            mechanism = Capabilities.LoginDisabled ? ImapAuthMechanism.Plain : ImapAuthMechanism.Login;
        }

        ImapCommand command;
        switch (mechanism)
        {
            case ImapAuthMechanism.Login:
                if (Capabilities.LoginDisabled)
                {
                    throw new ImapProtocolException("the server does not allow LOGIN here (LOGINDISABLED)");
                }

                command = new ImapCommand("LOGIN", Literals) { Secret = true }.AString(user).AString(secret);
                break;
            case ImapAuthMechanism.Plain:
                command = Authenticate("PLAIN", new Sasl.SaslPlainClient(user, secret).GetInitialResponse()!, "*"u8.ToArray());
                break;
            case ImapAuthMechanism.XOAuth2:
                command = Authenticate("XOAUTH2", new Sasl.XOAuth2Client(user, secret).GetInitialResponse()!, []);
                break;
            default:
                var payload = new Sasl.OAuthBearerClient(user, secret, _options.TlsName, _options.EffectivePort).GetInitialResponse()!;
                command = Authenticate("OAUTHBEARER", payload, "AQ=="u8.ToArray());
                break;
        }

        return new AuthItem(this, command) { Required = true };
    }

    /// <summary>AUTHENTICATE with the initial response inline (SASL-IR) or after the first "+"; any further challenge
    /// is an error report, answered with <paramref name="onError"/> so the server can send its NO.</summary>
    private ImapCommand Authenticate(string mechanism, byte[] payload, byte[] onError)
    {
        // Base64 as IMAP wants it; "=" for an empty initial response (RFC 4959).
        var wire = payload.Length == 0 ? "="u8.ToArray() : System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(payload));
        var inline = Capabilities.SaslIr;
        var command = new ImapCommand("AUTHENTICATE")
        {
            Secret = true,
            Exclusive = true,
            Challenge = inline && mechanism == "PLAIN" ? null : AnswerOnce(inline ? null : wire, onError),
        }.Atom(mechanism);
        return inline ? command.Raw(" "u8).Raw(wire) : command;
    }

    private static Func<string, byte[]> AnswerOnce(byte[]? first, byte[] then)
    {
        var answered = first is null;
        return _ =>
        {
            if (answered)
            {
                return then;
            }

            answered = true;
            return first!;
        };
    }

    public SelectItem CreateSelect(string mailbox, bool readOnly) => new(this, mailbox, readOnly);

    public BatchItem CreateCapability() => new(new ImapCommand("CAPABILITY"));

    /// <summary>UID FETCH set (items); <paramref name="sink"/> receives the section literals.</summary>
    public FetchItem CreateFetch(string uidSet, string items, IMessageSink? sink = null) =>
        new(new ImapCommand("UID FETCH").Atom(uidSet).Atom(items), sink);

    public SearchItem CreateSearch(string criteria) => new(new ImapCommand("UID SEARCH").Atom(criteria));

    /// <summary>UID STORE set +FLAGS.SILENT (flags).</summary>
    public BatchItem CreateAddFlags(string uidSet, string flags) =>
        new(new ImapCommand("UID STORE").Atom(uidSet).Atom("+FLAGS.SILENT").Atom("(" + flags + ")"));

    /// <summary>UID EXPUNGE set (UIDPLUS): only messages in the set that carry \Deleted go.</summary>
    public BatchItem CreateUidExpunge(string uidSet) => new(new ImapCommand("UID EXPUNGE").Atom(uidSet));

    /// <summary>EXPUNGE: every message of the mailbox that carries \Deleted goes.</summary>
    public BatchItem CreateExpunge() => new(new ImapCommand("EXPUNGE"));

    /// <summary>APPEND of one message, or of several in one command (MULTIAPPEND), each with its flags.</summary>
    public AppendItem CreateAppend(string mailbox, IReadOnlyList<ReadOnlyMemory<byte>> messages, string? flags = null, bool binary = false)
    {
        var command = new ImapCommand("APPEND", Literals).AString(MailboxName.Encode(mailbox));
        foreach (var message in messages)
        {
            if (flags is not null)
            {
                command.Atom("(" + flags + ")");
            }

            command.Literal(message.Span, binary);
        }

        return new AppendItem(command, messages.Count);
    }

    /// <summary>Runs one command and throws <see cref="ImapCommandException"/> unless it succeeded.</summary>
    public async Task<T> RunOneAsync<T>(T item, CancellationToken cancellationToken)
        where T : BatchItem
    {
        await RunAsync([item], cancellationToken).ConfigureAwait(false);
        item.EnsureOk();
        return item;
    }

    public Task LoginAsync(string user, string secret, ImapAuthMechanism mechanism, CancellationToken cancellationToken) =>
        RunOneAsync(CreateLogin(user, secret, mechanism), cancellationToken);

    public async Task<ImapMailbox> SelectAsync(string mailbox, bool readOnly, CancellationToken cancellationToken) =>
        (await RunOneAsync(CreateSelect(mailbox, readOnly), cancellationToken).ConfigureAwait(false)).Mailbox!;

    public async Task<IReadOnlyList<FetchData>> FetchAsync(string uidSet, string items, IMessageSink? sink, CancellationToken cancellationToken) =>
        (await RunOneAsync(CreateFetch(uidSet, items, sink), cancellationToken).ConfigureAwait(false)).Results;

    public async Task<IReadOnlyList<uint>> SearchAsync(string criteria, CancellationToken cancellationToken) =>
        (await RunOneAsync(CreateSearch(criteria), cancellationToken).ConfigureAwait(false)).Uids;

    public Task NoopAsync(CancellationToken cancellationToken) => RunOneAsync(new BatchItem(new ImapCommand("NOOP")), cancellationToken);

    /// <summary>LOGOUT; the server says BYE and closes. Failures are ignored: the connection is going anyway.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken)
    {
        if (_fault is not null)
        {
            return;
        }

        try
        {
            await RunAsync([new BatchItem(new ImapCommand("LOGOUT"))], cancellationToken).ConfigureAwait(false);
        }
        catch (ImapProtocolException)
        {
        }

        _fault ??= new ImapProtocolException("logged out");
    }

    private sealed class AuthItem(ImapClient client, ImapCommand command) : BatchItem(command)
    {
        protected override void OnCompleted(ImapStatusResponse status)
        {
            if (status.Status == ImapStatus.Ok)
            {
                client.OnAuthenticated();
            }
        }
    }
}
