using System.Globalization;
using System.Text;

namespace PopGate.Imap;

/// <summary>
/// A small IMAP4rev1 client: one connection, commands pipelined in batches within a window, responses read in
/// order with body sections streamed to sinks. Not thread-safe: one caller at a time. Any fault of the
/// connection (timeout, close, desync) makes it unusable; NO and BAD only fail the command.
/// </summary>
public sealed partial class ImapClient : IAsyncDisposable
{
    private readonly ImapConnectionOptions _options;
    private ImapTransport _transport;
    private int _tag;
    private string? _bye;
    private Exception? _fault;

    private ImapClient(ImapTransport transport, ImapConnectionOptions options)
    {
        _transport = transport;
        _options = options;
    }

    /// <summary>What the server announced last; empty until known.</summary>
    public ImapCapabilities Capabilities { get; private set; } = ImapCapabilities.None;

    /// <summary>The greeting's text.</summary>
    public string Greeting { get; private set; } = string.Empty;

    /// <summary>True after a successful login (or a PREAUTH greeting).</summary>
    public bool IsAuthenticated { get; private set; }

    public bool IsTls => _transport.IsTls;

    /// <summary>The mailbox selected last, or null.</summary>
    public ImapMailbox? Selected { get; private set; }

    /// <summary>False once the connection failed; every further command throws.</summary>
    public bool IsUsable => _fault is null;

    public ImapConnectionOptions Options => _options;

    /// <summary>Connects, reads the greeting and, with <see cref="ImapSecurity.StartTls"/>, upgrades to TLS.</summary>
    public static async Task<ImapClient> ConnectAsync(ImapConnectionOptions options, CancellationToken cancellationToken)
    {
        var transport = await ImapTransport.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        return await StartAsync(transport, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Over an open stream (a test seam; TLS as the options say).</summary>
    public static async Task<ImapClient> ConnectAsync(Stream stream, ImapConnectionOptions options, CancellationToken cancellationToken)
    {
        var transport = await ImapTransport.OverStreamAsync(stream, options, cancellationToken).ConfigureAwait(false);
        return await StartAsync(transport, options, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ImapClient> StartAsync(ImapTransport transport, ImapConnectionOptions options, CancellationToken cancellationToken)
    {
        var client = new ImapClient(transport, options);
        try
        {
            await client.ReadGreetingAsync(cancellationToken).ConfigureAwait(false);
            if (options.Security == ImapSecurity.StartTls)
            {
                await client.StartTlsAsync(cancellationToken).ConfigureAwait(false);
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ReadGreetingAsync(CancellationToken cancellationToken)
    {
        using var timer = new IoTimer(_options.Limits.Timeout, cancellationToken);
        var response = await _transport.Reader.ReadAsync(null, timer).ConfigureAwait(false);
        if (response is not ImapStatusResponse { Tag: null } greeting || greeting.Status is ImapStatus.No or ImapStatus.Bad)
        {
            throw new ImapProtocolException($"not an IMAP greeting: {response}");
        }

        if (greeting.Status == ImapStatus.Bye)
        {
            throw new ImapProtocolException($"the server refused the connection: {greeting.Text}");
        }

        Greeting = greeting.Text;
        IsAuthenticated = greeting.Status == ImapStatus.PreAuth;
        UpdateCapabilities(greeting);
    }

    private async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        if (Capabilities.IsEmpty)
        {
            await CapabilityAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!Capabilities.Has("STARTTLS"))
        {
            throw new ImapProtocolException("the server does not offer STARTTLS");
        }

        var item = new BatchItem(new ImapCommand("STARTTLS"));
        await RunAsync([item], cancellationToken).ConfigureAwait(false);
        item.EnsureOk();
        await _transport.StartTlsAsync(_options, cancellationToken).ConfigureAwait(false);
        // What the server said before TLS cannot be trusted; ask again under TLS.
        Capabilities = ImapCapabilities.None;
        await CapabilityAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks for the capability list (CAPABILITY).</summary>
    public async Task<ImapCapabilities> CapabilityAsync(CancellationToken cancellationToken)
    {
        var item = new BatchItem(new ImapCommand("CAPABILITY"));
        await RunAsync([item], cancellationToken).ConfigureAwait(false);
        item.EnsureOk();
        return Capabilities;
    }

    /// <summary>The literal mode to build commands with on this connection.</summary>
    public LiteralMode Literals => Capabilities.Literals;

    internal string NextTag() => "A" + (++_tag).ToString(CultureInfo.InvariantCulture);

    private void UpdateCapabilities(ImapResponse response)
    {
        switch (response)
        {
            case ImapDataResponse { Name: "CAPABILITY" } data:
                Capabilities = ImapCapabilities.Parse(data.Text);
                break;
            case ImapStatusResponse { Code: "CAPABILITY", CodeArguments: { } names }:
                Capabilities = ImapCapabilities.Parse(names);
                break;
        }
    }

    internal void OnAuthenticated() => IsAuthenticated = true;

    internal void OnSelected(ImapMailbox? mailbox) => Selected = mailbox;

    /// <summary>Closes the connection without LOGOUT (see <see cref="LogoutAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        _fault ??= new ObjectDisposedException(nameof(ImapClient));
        try
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
        }
    }

    private static string Describe(IEnumerable<BatchItem> items) =>
        new StringBuilder().AppendJoin(", ", items.Select(i => i.Command.Name)).ToString();
}
