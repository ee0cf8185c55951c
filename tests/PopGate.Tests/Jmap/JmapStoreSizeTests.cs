using System.Text;
using PopGate.Jmap.Server;
using PopGate.Protocol;
using PopGate.Stores;
using PopGate.Stores.Jmap;

namespace PopGate.Tests.Jmap;

/// <summary>A server that sends blobs as stored, LF line ends and all, with the raw length as size.</summary>
public sealed class RawBlobFixture : JmapServeFixture
{
    protected override JmapServerOptions Configure(JmapServerOptions options) => options with { RawBlobs = true };
}

/// <summary>LIST sizes when the JMAP size is not the wire size (bare LF, no final line end).</summary>
public sealed class JmapStoreSizeTests : IClassFixture<RawBlobFixture>
{
    private static readonly byte[][] LfMessages =
    [
        Encoding.ASCII.GetBytes("From: a@example.org\nSubject: lf\n\nline one\n.dot line\nlast line without end"),
        Encoding.ASCII.GetBytes("From: b@example.org\r\nSubject: crlf but no final line end\r\n\r\nbody"),
        Encoding.ASCII.GetBytes("From: c@example.org\r\nSubject: exact\r\n\r\nbody\r\n"),
    ];

    private readonly RawBlobFixture _fixture;

    public JmapStoreSizeTests(RawBlobFixture fixture) => _fixture = fixture;

    private JmapStore Store(string user, JmapSizeMode mode) => new(new JmapStoreOptions
    {
        Url = _fixture.Server.BaseUrl,
        Auth = JmapAuth.Basic(user, JmapServeFixture.PasswordOf(user)),
        SizeMode = mode,
    });

    [Fact]
    public async Task Trust_mode_learns_the_wire_size_from_the_first_download()
    {
        var user = _fixture.NewUser(LfMessages);
        using var store = Store(user, JmapSizeMode.Trust);
        var wire = new Dictionary<string, long>();
        await using (var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None))
        {
            for (var i = 0; i < maildrop.Messages.Count; i++)
            {
                var sink = new CollectingSink();
                await maildrop.WriteMessageAsync(i, sink, null, CancellationToken.None);
                Assert.Contains(sink.Bytes, LfMessages);
                wire[maildrop.Messages[i].Uid] = WireSize.Of(sink.Bytes);
            }

            // The first listing had only the JMAP sizes: raw lengths.
            Assert.Equal(LfMessages.Select(m => (long)m.Length).Order(), maildrop.Messages.Select(m => m.Size).Order());
        }

        await using var again = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        Assert.All(again.Messages, m => Assert.Equal(wire[m.Uid], m.Size));
    }

    [Fact]
    public async Task Measure_mode_lists_wire_sizes_at_once()
    {
        var user = _fixture.NewUser(LfMessages);
        using var store = Store(user, JmapSizeMode.Measure);
        await using var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        Assert.Equal(LfMessages.Select(m => WireSize.Of(m)).Order(), maildrop.Messages.Select(m => m.Size).Order());
        for (var i = 0; i < maildrop.Messages.Count; i++)
        {
            var sink = new CollectingSink();
            await maildrop.WriteMessageAsync(i, sink, null, CancellationToken.None);
            Assert.Equal(maildrop.Messages[i].Size, WireSize.Of(sink.Bytes));
        }
    }
}
