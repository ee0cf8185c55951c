using PopGate.Configuration;

namespace PopGate.Tests.Fetch;

/// <summary>The checks shared by the command line and the config file.</summary>
public sealed class FetchAccountSettingsTests
{
    private static FetchAccountSettings Valid => new() { Name = "a", Server = "tcp:u@127.0.0.1:2110", Maildir = "/tmp/m" };

    [Fact]
    public void Valid_settings_have_no_problem() => Assert.Null(Valid.Problem());

    [Fact]
    public void Each_mistake_names_its_setting()
    {
        Assert.Equal("Server", (Valid with { Server = "tcp:u@h:0" }).Problem()?.Setting);
        Assert.Equal("Maildir", (Valid with { Maildir = null }).Problem()?.Setting);
        Assert.Equal("Maildir", (Valid with { Mda = "procmail" }).Problem()?.Setting);
        Assert.Equal("Fingerprint", (Valid with { Fingerprint = "12:34" }).Problem()?.Setting);
        Assert.Equal("Auth", (Valid with { Auth = "KERBEROS" }).Problem()?.Setting);
        Assert.Equal("TimeoutSeconds", (Valid with { TimeoutSeconds = 0 }).Problem()?.Setting);
        Assert.Equal("MaxSize", (Valid with { MaxSize = 0 }).Problem()?.Setting);
        Assert.Equal("Limit", (Valid with { Limit = -1 }).Problem()?.Setting);
        Assert.Null((Valid with { Maildir = null, Mbox = "/tmp/box", Auth = "plain" }).Problem());
    }
}
