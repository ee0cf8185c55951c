using Microsoft.Extensions.Configuration;
using PopGate.Configuration;
using PopGate.Imap;
using PopGate.Stores.Imap;

namespace PopGate.Tests.Imap;

public sealed class ImapStoreConfigTests
{
    private static ConfigSection Section(params (string Key, string Value)[] values) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Store:" + v.Key, v.Value))).Build(), null, "Store");

    [Fact]
    public void Reads_every_key_into_the_options()
    {
        var options = ImapStoreConfig.ReadOptions(Section(
            ("Type", "imap"), ("Host", "imap.example.org"), ("Port", "1143"), ("Security", "starttls"), ("Fingerprint", new string('a', 64)),
            ("SniHost", "mail.example.org"), ("Folders:0", "INBOX"), ("Folders:1", "Archive"), ("ReadOnly", "true"), ("User", "bob"),
            ("Password", "pw"), ("Mechanism", "plain"), ("ExpungeWithoutUidPlus", "WhenNoOtherDeleted"), ("ShowDeleted", "true"),
            ("CheckFinalNewline", "false"), ("TimeoutSeconds", "5"), ("PipelineWindow", "8"), ("ReadAheadKiB", "256"),
            ("StateDirectory", "/var/lib/popgate/imap")));
        Assert.Equal("imap.example.org", options.Host);
        Assert.Equal(1143, options.Port);
        Assert.Equal(ImapSecurity.StartTls, options.Security);
        Assert.Equal(["INBOX", "Archive"], options.Folders);
        Assert.True(options.ReadOnly);
        Assert.Equal(("bob", "pw"), (options.User, options.Password));
        Assert.Equal(ImapAuthMechanism.Plain, options.Mechanism);
        Assert.Equal(ExpungeWithoutUidPlus.WhenNoOtherDeleted, options.ExpungeWithoutUidPlus);
        Assert.True(options.ShowDeleted);
        Assert.False(options.CheckFinalNewline);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
        Assert.Equal(8, options.PipelineWindow);
        Assert.Equal(256 * 1024, options.ReadAheadBytes);
        Assert.Equal("/var/lib/popgate/imap", options.StateDirectory);
    }

    [Fact]
    public void Defaults_to_implicit_tls_inbox_and_pass_through()
    {
        var options = ImapStoreConfig.ReadOptions(Section(("Type", "imap"), ("Host", "h")));
        Assert.Equal(ImapSecurity.Ssl, options.Security);
        Assert.Equal(["INBOX"], options.Folders);
        Assert.Null(options.User);
        Assert.True(options.CheckFinalNewline);
        Assert.Equal(4 * 1024 * 1024, options.ReadAheadBytes);
        Assert.Null(options.StateDirectory);
        Assert.IsType<ImapStore>(new StoreFactory().Create(Section(("Type", "imap"), ("Host", "h"))));
    }

    [Theory]
    [InlineData("Hots", "x")]
    [InlineData("Fingerprint", "abc")]
    [InlineData("User", "only-user")]
    [InlineData("Security", "tls")]
    public void Refuses_mistakes_with_the_key_named(string key, string value)
    {
        var e = Assert.Throws<ConfigException>(() => ImapStoreConfig.ReadOptions(Section(("Type", "imap"), ("Host", "h"), (key, value))));
        Assert.Contains(key == "User" ? "Password" : key, e.Message, StringComparison.Ordinal);
    }
}
