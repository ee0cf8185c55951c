using System.Globalization;
using PopGate.Bench.Corpus;
using PopGate.Testing;

namespace PopGate.Bench.Server;

/// <summary>
/// The data every server gets: the generated corpus, the accounts (per password scheme, a login account for each
/// concurrent client, and one account per idle session), and for each server a folder of Maildirs hard-linked
/// from the corpus.
/// </summary>
public sealed class BenchSetup
{
    public const string Password = "bench-secret";

    private BenchSetup(string folder, CorpusMaildir corpus, IReadOnlyList<BenchAccount> accounts)
    {
        Folder = folder;
        Corpus = corpus;
        Accounts = accounts;
    }

    public string Folder { get; }

    public CorpusMaildir Corpus { get; }

    public IReadOnlyList<BenchAccount> Accounts { get; }

    /// <summary>The accounts the login clients use for a scheme: one per client, each with its own maildrop.</summary>
    public IReadOnlyList<BenchAccount> LoginAccounts(string scheme, int clients) =>
        Accounts.Where(a => a.Name.StartsWith(Prefix(scheme), StringComparison.Ordinal)).Take(clients).ToList();

    /// <summary>The idle-session accounts, each with its own maildrop.</summary>
    public IReadOnlyList<BenchAccount> IdleAccounts(int count) =>
        Accounts.Where(a => a.Name.StartsWith("idle-", StringComparison.Ordinal)).Take(count).ToList();

    public static async Task<BenchSetup> CreateAsync(string folder, ServerBenchOptions options, CancellationToken cancellationToken)
    {
        var corpus = await CorpusMaildir.WriteAsync(Path.Combine(folder, "corpus"), options.Messages, options.Seed, cancellationToken).ConfigureAwait(false);
        // Dovecot's mail processes run as nobody; hard links share the owner, so every Maildir gets it.
        await ProcessRunner.ChownAsync(corpus.Folder, "nobody").ConfigureAwait(false);
        var accounts = new List<BenchAccount>();
        foreach (var scheme in options.Schemes)
        {
            var stored = await StoredPasswordAsync(scheme).ConfigureAwait(false);
            for (var i = 1; i <= options.MaxClients; i++)
            {
                accounts.Add(new BenchAccount(Prefix(scheme) + Number(i), Password, stored, "login-" + Number(i), options.Messages));
            }
        }

        for (var i = 1; i <= options.MaxIdle; i++)
        {
            accounts.Add(new BenchAccount("idle-" + Number(i), Password, "{PLAIN}" + Password, "idle-" + Number(i), options.IdleMessages));
        }

        return new BenchSetup(folder, corpus, accounts);
    }

    /// <summary>Makes a server's folder: homes/MAILDROP/Maildir for each maildrop, linked from the corpus.</summary>
    public async Task<string> MaildropsForAsync(string server)
    {
        var folder = Path.Combine(Folder, server);
        foreach (var group in Accounts.GroupBy(a => a.Maildrop))
        {
            Corpus.LinkInto(PopGateTarget.Maildir(folder, group.Key), group.First().Messages);
        }

        TempDir.MakeTraversable(folder);
        await ProcessRunner.ChownAsync(Path.Combine(folder, "homes"), "nobody").ConfigureAwait(false);
        return folder;
    }

    private static string Prefix(string scheme) => scheme.ToLowerInvariant() + "-";

    private static string Number(int i) => i.ToString(CultureInfo.InvariantCulture);

    /// <summary>The password field, made by the peers' own tools (openssl for crypt), so both servers read the same.</summary>
    private static async Task<string> StoredPasswordAsync(string scheme)
    {
        switch (scheme)
        {
            case "PLAIN":
                return "{PLAIN}" + Password;
            case "SHA512-CRYPT":
                var openssl = PeerProgram.Require("openssl");
                var result = await ProcessRunner.RunAsync(openssl, ["passwd", "-6", "-salt", "popgatebench", "-stdin"], TimeSpan.FromSeconds(30), stdin: Password + "\n").ConfigureAwait(false);
                if (result.ExitCode != 0 || !result.StdOut.StartsWith("$6$", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"openssl passwd failed: {result}");
                }

                return "{SHA512-CRYPT}" + result.StdOut.Trim();
            default:
                throw new ArgumentException($"unknown scheme {scheme}; known: {string.Join(", ", ServerBenchOptions.AllSchemes)}", nameof(scheme));
        }
    }
}
