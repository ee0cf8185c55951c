using PopGate.Client;
using PopGate.Testing;

namespace PopGate.Tests.Client;

/// <summary>netrc parsing and the order in which credential sources are tried, with real files and real shells.</summary>
public sealed class CredentialTests
{
    private const string Netrc = """
        # comment line
        machine ssl:bob@pop.example.com login bob password from-spec
        machine pop.example.com
            login bob
            password "with space \"quoted\""
            account acct
        machine pop.example.com login carol password carols
        macdef init
        machine evil.example.com login x password y

        machine other.example.com login dave password daves
        default login anyone password fallback
        """;

    [Fact]
    public void Netrc_entries_quotes_macros_and_default()
    {
        var netrc = NetrcFile.Parse(Netrc);
        Assert.Equal(5, netrc.Entries.Count);
        Assert.DoesNotContain(netrc.Entries, e => e.Machine == "evil.example.com");
        Assert.Equal("with space \"quoted\"", netrc.Find(["pop.example.com"], "bob")!.Password);
        Assert.Equal("acct", netrc.Find(["pop.example.com"], null)!.Account);
        Assert.Equal("carols", netrc.Find(["POP.example.com"], "carol")!.Password);
        Assert.Equal("from-spec", netrc.Find(["ssl:bob@pop.example.com", "pop.example.com"], "bob")!.Password);
        Assert.Equal("fallback", netrc.Find(["unknown.example.com"], null)!.Password);
        Assert.Null(netrc.Find(["unknown.example.com"], "zed"));
    }

    [Fact]
    public async Task Sources_are_tried_in_order_command_env_netrc()
    {
        using var dir = new TempDir("creds");
        var path = Path.Combine(dir.Path, "netrc");
        await File.WriteAllTextAsync(path, Netrc);
        var spec = ConnectionSpec.Parse("pop.example.com");

        var fromNetrc = await CredentialResolver.ResolveAsync(spec, new CredentialSources { NetrcPath = path });
        Assert.Equal(("bob", "with space \"quoted\""), (fromNetrc.User, fromNetrc.Password));

        var bySpec = await CredentialResolver.ResolveAsync(ConnectionSpec.Parse("ssl:bob@pop.example.com"), new CredentialSources { NetrcPath = path });
        Assert.Equal("from-spec", bySpec.Password);

        var variable = "POPGATE_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "from-env");
        try
        {
            var fromEnv = await CredentialResolver.ResolveAsync(spec, new CredentialSources { NetrcPath = path, PasswordEnv = variable });
            Assert.Equal(("bob", "from-env"), (fromEnv.User, fromEnv.Password));
            var fromCommand = await CredentialResolver.ResolveAsync(spec, new CredentialSources
            {
                NetrcPath = path,
                PasswordEnv = variable,
                PasswordCommand = "printf 'from-command\\nsecond line\\n'",
            });
            Assert.Equal("from-command", fromCommand.Password);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        var token = await CredentialResolver.ResolveAsync(ConnectionSpec.Parse("me@host"), new CredentialSources { UseNetrc = false, Password = "tok", Mechanism = "xoauth2" });
        Assert.Equal(("tok", null, "XOAUTH2"), (token.OAuthToken, token.Password, token.Mechanism));
    }

    [Fact]
    public async Task Missing_and_failing_sources_say_what_to_do()
    {
        var spec = ConnectionSpec.Parse("nobody@nowhere.example");
        var none = await Assert.ThrowsAsync<CredentialException>(() => CredentialResolver.ResolveAsync(spec, new CredentialSources { UseNetrc = false }));
        Assert.Contains("--password-env", none.Message, StringComparison.Ordinal);
        var noUser = await Assert.ThrowsAsync<CredentialException>(() => CredentialResolver.ResolveAsync(ConnectionSpec.Parse("nowhere.example"), new CredentialSources { UseNetrc = false, Password = "x" }));
        Assert.Contains("user name", noUser.Message, StringComparison.Ordinal);
        var unset = await Assert.ThrowsAsync<CredentialException>(() => CredentialResolver.ResolveAsync(spec, new CredentialSources { PasswordEnv = "POPGATE_SURELY_UNSET_" + Guid.NewGuid().ToString("N") }));
        Assert.Contains("not set", unset.Message, StringComparison.Ordinal);
        var failing = await Assert.ThrowsAsync<CredentialException>(() => CredentialResolver.ResolveAsync(spec, new CredentialSources { PasswordCommand = "echo no such key >&2; exit 3" }));
        Assert.Contains("status 3: no such key", failing.Message, StringComparison.Ordinal);
        var slow = await Assert.ThrowsAsync<CredentialException>(() => CredentialResolver.ResolveAsync(spec, new CredentialSources { PasswordCommand = "sleep 30", CommandTimeout = TimeSpan.FromMilliseconds(300) }));
        Assert.Contains("did not finish", slow.Message, StringComparison.Ordinal);
    }
}
