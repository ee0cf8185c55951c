using System.Text;
using PopGate.Imap;
using PopGate.Stores;
using PopGate.Stores.Imap;

namespace PopGate.Tests.Imap;

/// <summary>Options and the opening exchange shared by the store tests against scripted servers.</summary>
internal static class ScriptedStore
{
    public static ImapStoreOptions Options(int port) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        Security = ImapSecurity.None,
        User = "u",
        Password = "p",
        CheckFinalNewline = false,
        Timeout = TimeSpan.FromSeconds(3),
    };

    public static readonly MaildropRequest Request = new("pop");

    /// <summary>Greeting, then the pipelined login and listing, answered with these FETCH lines.</summary>
    public static async Task OpenAsync(ScriptedConnection c, string capabilities, params string[] fetches)
    {
        await c.SendAsync($"* OK [CAPABILITY IMAP4rev1 {capabilities}] ready\r\n");
        await c.ExpectAsync("A1 LOGIN u p");
        await c.ExpectAsync("A2 CAPABILITY");
        await c.ExpectAsync("A3 SELECT INBOX");
        await c.ExpectAsync("A4 UID FETCH 1:* (UID RFC822.SIZE FLAGS)");
        var answer = new StringBuilder()
            .Append("A1 OK in\r\n")
            .Append($"* CAPABILITY IMAP4rev1 {capabilities}\r\nA2 OK c\r\n")
            .Append($"* {fetches.Length} EXISTS\r\n* OK [UIDVALIDITY 500] v\r\nA3 OK [READ-WRITE] s\r\n");
        foreach (var fetch in fetches)
        {
            answer.Append(fetch).Append("\r\n");
        }

        await c.SendAsync(answer.Append("A4 OK f\r\n").ToString());
    }
}
