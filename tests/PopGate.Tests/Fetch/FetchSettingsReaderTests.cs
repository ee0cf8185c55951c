using PopGate.Configuration;
using PopGate.Testing;

namespace PopGate.Tests.Fetch;

/// <summary>The --config file of `popgate fetch`: accounts read with their paths, and errors naming key and line.</summary>
public sealed class FetchSettingsReaderTests
{
    private static async Task<string> WriteAsync(TempDir dir, string json)
    {
        var file = Path.Combine(dir.Path, "fetch.json");
        await File.WriteAllTextAsync(file, json);
        return file;
    }

    [Fact]
    public async Task Accounts_are_read_with_relative_paths_resolved_from_the_file()
    {
        using var dir = new TempDir("fetch-config");
        var file = await WriteAsync(dir, """
            {
              "Accounts": {
                "work": { "Server": "ssl:me@pop.example.com", "Maildir": "Mail/work", "Keep": true, "MaxSize": 1000000, "PasswordEnv": "WORK_PW" },
                "home": { "Server": "tcp:me@127.0.0.1:2110", "Mbox": "/var/mail/me", "Limit": 10, "Crlf": true, "EarlyCapa": false }
              }
            }
            """);

        var accounts = FetchSettingsReader.ReadFile(file).ToDictionary(a => a.Name);

        var work = accounts["work"];
        Assert.Equal(Path.Combine(dir.Path, "Mail", "work"), work.Maildir);
        Assert.True(work.Keep);
        Assert.Equal(1_000_000, work.MaxSize);
        Assert.Equal("WORK_PW", work.PasswordEnv);
        Assert.True(work.EarlyCapa);
        var home = accounts["home"];
        Assert.Equal("/var/mail/me", home.Mbox);
        Assert.Equal(10, home.Limit);
        Assert.True(home.Crlf);
        Assert.False(home.EarlyCapa);
        Assert.Null(home.Maildir);
    }

    [Theory]
    [InlineData("{ \"Accounts\": {\n \"a\": {\n \"Server\": \"tcp:u@h\",\n \"Maildir\": \"m\",\n \"Kep\": true } } }", "Accounts:a:Kep", 5)]
    [InlineData("{ \"Accounts\": {\n \"a\": {\n \"Server\": \"tcp:u@h\",\n \"Maildir\": \"m\",\n \"Mbox\": \"x\" } } }", "Accounts:a:Maildir", 4)]
    [InlineData("{ \"Accounts\": {\n \"a\": {\n \"Maildir\": \"m\" } } }", "Accounts:a:Server", null)]
    [InlineData("{ \"Accounts\": {\n \"a\": {\n \"Server\": \"tcp:u@h:99999\",\n \"Maildir\": \"m\" } } }", "Accounts:a:Server", 3)]
    [InlineData("{ \"Accounts\": {\n \"a\": {\n \"Server\": \"tcp:u@h\",\n \"Maildir\": \"m\",\n \"MaxSize\": \"big\" } } }", "Accounts:a:MaxSize", 5)]
    [InlineData("{ \"Acounts\": { } }", "Acounts", null)]
    public async Task Mistakes_name_the_key_and_its_line(string json, string key, int? line)
    {
        using var dir = new TempDir("fetch-config");
        var file = await WriteAsync(dir, json);
        var error = Assert.Throws<ConfigException>(() => FetchSettingsReader.ReadFile(file));
        Assert.Equal(key, error.Key);
        if (line is not null)
        {
            Assert.Equal(line, error.Line);
        }
    }
}
