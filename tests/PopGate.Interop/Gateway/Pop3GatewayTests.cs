using System.Globalization;
using PopGate.Interop.Server;
using PopGate.Testing;

namespace PopGate.Interop.Gateway;

/// <summary>A private Dovecot POP3 with the corpus, and `popgate serve` in front of it (mapped and pass-through).</summary>
public sealed class Pop3GatewayFixture : IAsyncLifetime
{
    public const string PopPassword = "pop-pass";

    public DovecotServer Dovecot { get; private set; } = null!;
    public GatewayProcess Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Dovecot = await DovecotServer.StartAsync();
        await Dovecot.AddMessagesAsync(ServeFixture.Messages);
        Gateway = await GatewayProcess.StartAsync((folder, port) => new Dictionary<string, object>
        {
            ["Listen"] = new[] { $"127.0.0.1:{port}" },
            ["UsersFile"] = GatewayProcess.WriteUsers(folder, ("mapped", PopPassword), ("down", PopPassword)),
            ["Auth"] = new { FailureDelaySeconds = 0.01, MaxFailureDelaySeconds = 0.05 },
            ["Users"] = new Dictionary<string, object>
            {
                ["mapped"] = new { Store = new { Type = "pop3", Host = "127.0.0.1", Port = Dovecot.Pop3Port, Security = "none", User = Dovecot.Options.User, Password = Dovecot.Options.Password } },
                ["down"] = new { Store = new { Type = "pop3", Host = "127.0.0.1", Port = FreePort.Next(), Security = "none", User = "x", Password = "y" } },
            },
            ["PassThrough"] = new { Default = new { Type = "pop3", Host = "127.0.0.1", Port = Dovecot.Pop3Port, Security = "none" } },
        });
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (Dovecot is not null)
        {
            await Dovecot.DisposeAsync();
        }
    }
}

/// <summary>Another POP3 account through the gateway: the same bytes, sizes and UIDLs as the upstream's own.</summary>
public sealed class Pop3GatewayTests(Pop3GatewayFixture fixture) : IClassFixture<Pop3GatewayFixture>
{
    private DovecotServer Dovecot => fixture.Dovecot;

    [Fact]
    public async Task Poplib_through_the_gateway_sees_what_it_sees_directly()
    {
        using var direct = new TempDir("pop3-direct");
        var upstream = await PoplibRunner.RunOkAsync(Dovecot.Pop3Port, Dovecot.Options.User, Dovecot.Options.Password, direct.Path);
        using var through = new TempDir("pop3-gateway");
        var gateway = await PoplibRunner.RunOkAsync(fixture.Gateway.Port, "mapped", Pop3GatewayFixture.PopPassword, through.Path);

        Assert.Equal(PoplibRunner.Uidls(upstream), PoplibRunner.Uidls(gateway));
        Assert.Equal(PoplibRunner.Sizes(upstream), PoplibRunner.Sizes(gateway));
        var count = PoplibRunner.Sizes(gateway).Count;
        Assert.True(count > 200);
        for (var n = 1; n <= count; n++)
        {
            var name = n.ToString(CultureInfo.InvariantCulture);
            Assert.True(File.ReadAllBytes(Path.Combine(direct.Path, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(through.Path, name))), $"message {n} differs");
        }
    }

    [Fact]
    public async Task Deletions_reach_the_upstream_only_at_quit()
    {
        using var before = new TempDir("pop3-direct");
        var uidls = PoplibRunner.Uidls(await PoplibRunner.RunOkAsync(Dovecot.Pop3Port, Dovecot.Options.User, Dovecot.Options.Password, before.Path));

        var dropped = await RawPop3Client.ConnectAsync(fixture.Gateway.Port);
        await dropped.ReadLineAsync();
        await dropped.CommandAsync($"USER {Dovecot.Options.User}");
        Assert.StartsWith("+OK", await dropped.CommandAsync($"PASS {Dovecot.Options.Password}"));
        Assert.StartsWith("+OK", await dropped.CommandAsync("DELE 1"));
        dropped.Abort();
        await Task.Delay(300);

        using var quit = new TempDir("pop3-gateway");
        await PoplibRunner.RunOkAsync(fixture.Gateway.Port, Dovecot.Options.User, Dovecot.Options.Password, quit.Path, 2, 3);

        using var after = new TempDir("pop3-direct");
        var left = PoplibRunner.Uidls(await PoplibRunner.RunOkAsync(Dovecot.Pop3Port, Dovecot.Options.User, Dovecot.Options.Password, after.Path));
        Assert.Equal(uidls.Where((_, i) => i is not (1 or 2)), left);
    }

    [Fact]
    public async Task A_wrong_password_gets_auth_and_an_unreachable_upstream_sys_temp()
    {
        await using var client = await RawPop3Client.ConnectAsync(fixture.Gateway.Port);
        await client.ReadLineAsync();
        await client.CommandAsync($"USER {Dovecot.Options.User}");
        Assert.StartsWith("-ERR [AUTH]", await client.CommandAsync("PASS wrong"));
        await client.CommandAsync("USER down");
        Assert.StartsWith("-ERR [SYS/TEMP]", await client.CommandAsync($"PASS {Pop3GatewayFixture.PopPassword}"));
    }
}
