using System.Security.Cryptography;
using System.Text;
using PopGate.Client;
using PopGate.Testing;

namespace PopGate.Interop.Client;

/// <summary>
/// 500 messages (every non-empty corpus message, then generated ones with dot lines and varied sizes) fetched from
/// Dovecot over loopback in one pipelined run: each RETR's body compared byte for byte, DELEs queued as messages
/// arrive, QUIT, and the maildrop is then empty. Before that, a session that marks everything and drops the
/// connection without QUIT must leave every message in place.
/// </summary>
public sealed class DovecotPipelineTests : IClassFixture<DovecotPipelineTests.Fixture>
{
    private const int Count = 500;
    private readonly Fixture _fixture;

    public DovecotPipelineTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    public sealed class Fixture : DovecotFixture
    {
        public IReadOnlyList<byte[]> Messages { get; } = Build();

        protected override DovecotOptions Options => new() { Performance = true };

        protected override async Task StartedAsync() => await Dovecot.AddMessagesAsync(Messages);

        private static List<byte[]> Build()
        {
            var messages = TestCorpus.NonEmptyMessageFiles().Select(File.ReadAllBytes).ToList();
            var random = new Random(7);
            for (var i = messages.Count; i < Count; i++)
            {
                var body = new StringBuilder();
                var lines = random.Next(1, 400);
                for (var l = 0; l < lines; l++)
                {
                    body.Append(random.Next(6) switch
                    {
                        0 => ".",
                        1 => "..leading dots",
                        2 => new string('x', random.Next(0, 1200)),
                        _ => $"line {l} of message {i}",
                    }).Append(random.Next(3) == 0 ? "\n" : "\r\n");
                }

                messages.Add(Encoding.ASCII.GetBytes($"Subject: generated {i}\nX-Index: {i}\n\n{body}"));
            }

            return messages;
        }
    }

    private Pop3ClientOptions Options => new() { AllowCleartextPasswords = true };

    private ConnectionSpec Spec => new("127.0.0.1", _fixture.Dovecot.Pop3Port, ConnectionSecurity.None, _fixture.Dovecot.Options.User);

    private Pop3Credentials Credentials => new(_fixture.Dovecot.Options.User) { Password = _fixture.Dovecot.Options.Password };

    [Fact]
    public async Task Five_hundred_pipelined_retrs_are_byte_exact_and_deletion_happens_only_at_quit()
    {
        var messages = _fixture.Messages;
        Assert.Equal(Count, messages.Count);

        await using (var dropped = new Pop3Client(Options))
        {
            await dropped.ConnectAsync(Spec);
            await dropped.AuthenticateAsync(Credentials);
            await Task.WhenAll(Enumerable.Range(1, Count).Select(n => dropped.DeleAsync(n)));
        }

        var expected = messages.Select(m => SHA256.HashData(TestCorpus.ToWire(m))).ToList();
        var maxInFlight = 0;
        var mismatches = new List<int>();
        await using (var client = new Pop3Client(Options))
        {
            await client.ConnectAsync(Spec);
            var login = client.AuthenticateAsync(Credentials);
            var uids = client.UidlAsync();
            var sizes = client.ListAsync();
            await login;
            Assert.True(client.IsPipelining);
            Assert.Equal(Count, (await uids).Count);
            var list = await sizes;
            Assert.Equal(Count, list.Count);

            var deletions = new List<Task>();
            var retrievals = list.Select(entry => client.RetrAsync(entry.Number, async (body, ct) =>
            {
                maxInFlight = Math.Max(maxInFlight, client.CommandsInFlight);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                long octets = 0;
                while (true)
                {
                    var read = await body.ReadAsync(ct);
                    foreach (var segment in read.Buffer)
                    {
                        hash.AppendData(segment.Span);
                        octets += segment.Length;
                    }

                    body.AdvanceTo(read.Buffer.End);
                    if (read.IsCompleted)
                    {
                        break;
                    }
                }

                if (!hash.GetHashAndReset().AsSpan().SequenceEqual(expected[entry.Number - 1]))
                {
                    lock (mismatches)
                    {
                        mismatches.Add(entry.Number);
                    }
                }

                lock (deletions)
                {
                    deletions.Add(client.DeleAsync(entry.Number, CancellationToken.None));
                }

                return octets;
            })).ToList();
            var octets = await Task.WhenAll(retrievals);
            Assert.Equal(messages.Sum(m => (long)TestCorpus.ToWire(m).Length), octets.Sum());
            await Task.WhenAll(deletions);
            await client.QuitAsync();
        }

        Assert.Empty(mismatches);
        Assert.True(maxInFlight > 100, $"RETRs should be written far ahead; at most {maxInFlight} were in flight");

        await using var check = new Pop3Client(Options);
        await check.ConnectAsync(Spec);
        await check.AuthenticateAsync(Credentials);
        Assert.Equal(new Pop3Stat(0, 0), await check.StatAsync());
        await check.QuitAsync();
    }
}
