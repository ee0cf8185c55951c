using System.Text;
using System.Text.RegularExpressions;
using PopGate.Stores;
using PopGate.Stores.Mbox;
using PopGate.Testing;

namespace PopGate.Tests.Stores;

public sealed class MboxStoreTests : IDisposable
{
    private readonly TempDir _dir = new("popgate-mbox");

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes messages as an mboxrd file the way delivery agents do: ">"-quote "From " lines, a blank line after each.</summary>
    private static byte[] WriteMboxrd(IEnumerable<byte[]> messages)
    {
        var output = new MemoryStream();
        var n = 0;
        foreach (var message in messages)
        {
            output.Write(Encoding.ASCII.GetBytes($"From sender{n++}@example.org Mon Jan  1 00:00:00 2024\n"));
            var text = Encoding.Latin1.GetString(message);
            var quoted = Regex.Replace(text, "^(>*From )", ">$1", RegexOptions.Multiline);
            var bytes = Encoding.Latin1.GetBytes(quoted);
            output.Write(bytes);
            if (bytes.Length > 0 && bytes[^1] != (byte)'\n')
            {
                output.Write("\n"u8);
            }

            output.Write("\n"u8);
        }

        return output.ToArray();
    }

    private static byte[] Expected(byte[] message)
    {
        // The writer above adds a newline when the message has none; a lone final CR then pairs with it.
        return TestCorpus.ToWire(message.Length > 0 && message[^1] != (byte)'\n' ? [.. message, (byte)'\n'] : message);
    }

    [Fact]
    public async Task Every_corpus_message_comes_back_exactly_from_an_mboxrd_file()
    {
        var messages = TestCorpus.MessageFiles().Select(File.ReadAllBytes)
            // A message whose own last line is blank cannot survive mbox storage unchanged (the separator is blank too).
            .Where(m => !Encoding.Latin1.GetString(m).EndsWith("\n\n", StringComparison.Ordinal) && !Encoding.Latin1.GetString(m).EndsWith("\r\n\r\n", StringComparison.Ordinal))
            .ToList();
        var path = Path.Combine(_dir.Path, "inbox");
        await File.WriteAllBytesAsync(path, WriteMboxrd(messages));

        await using var maildrop = await new MboxStore(path).OpenAsync(new MaildropRequest("u"), default);
        Assert.Equal(messages.Count, maildrop.Messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var wire = await StoreHarness.ReadWireAsync(maildrop, i);
            Assert.Equal(Expected(messages[i]), wire);
            Assert.Equal(wire.Length, maildrop.Messages[i].Size);
        }

        Assert.Equal(messages.Count, maildrop.Messages.Select(m => m.Uid).Distinct().Count());
    }

    [Fact]
    public async Task Quoting_is_undone_per_format()
    {
        var path = Path.Combine(_dir.Path, "quoted");
        await File.WriteAllTextAsync(path, "From a Mon Jan  1 00:00:00 2024\nSubject: q\n\n>From one\n>>From two\n>Fromage\n\n");
        await using (var rd = await new MboxStore(path, MboxFormat.Mboxrd).OpenAsync(new MaildropRequest("u"), default))
        {
            Assert.Equal("Subject: q\r\n\r\nFrom one\r\n>From two\r\n>Fromage\r\n", Encoding.ASCII.GetString(await StoreHarness.ReadWireAsync(rd, 0)));
            Assert.Equal(Encoding.ASCII.GetByteCount("Subject: q\r\n\r\nFrom one\r\n>From two\r\n>Fromage\r\n"), rd.Messages[0].Size);
        }

        await using var o = await new MboxStore(path, MboxFormat.Mboxo).OpenAsync(new MaildropRequest("u2"), default);
        Assert.Equal("Subject: q\r\n\r\nFrom one\r\n>>From two\r\n>Fromage\r\n", Encoding.ASCII.GetString(await StoreHarness.ReadWireAsync(o, 0)));
    }

    [Fact]
    public async Task Real_mbox_files_list_sizes_equal_to_the_bytes_sent()
    {
        foreach (var file in TestCorpus.Files("mbox"))
        {
            var copy = Path.Combine(_dir.Path, Path.GetFileName(file));
            File.Copy(file, copy, overwrite: true);
            var text = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(copy));
            if (!text.StartsWith("From ", StringComparison.Ordinal))
            {
                await Assert.ThrowsAsync<MaildropException>(async () => await new MboxStore(copy).OpenAsync(new MaildropRequest(copy), default));
                continue;
            }

            // Independent count: "From " lines at the start of the file or after a blank line.
            var expected = Regex.Matches(text, @"(?:\A|\n\r?\n)From ").Count;
            await using var maildrop = await new MboxStore(copy).OpenAsync(new MaildropRequest(copy), default);
            Assert.True(expected == maildrop.Messages.Count, $"{file}: {expected} vs {maildrop.Messages.Count}");
            for (var i = 0; i < maildrop.Messages.Count; i++)
            {
                var wire = await StoreHarness.ReadWireAsync(maildrop, i);
                Assert.True(wire.Length == maildrop.Messages[i].Size, $"{file} message {i + 1}");
            }
        }
    }

    [Fact]
    public async Task Commit_rewrites_the_file_without_the_deleted_messages_and_keeps_new_mail()
    {
        var messages = Enumerable.Range(0, 5).Select(i => Encoding.ASCII.GetBytes($"Subject: m{i}\n\nFrom the body {i}\n")).ToList();
        var path = Path.Combine(_dir.Path, "spool");
        await File.WriteAllBytesAsync(path, WriteMboxrd(messages));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        List<string> keptUids;
        await using (var maildrop = await new MboxStore(path).OpenAsync(new MaildropRequest("u"), default))
        {
            keptUids = [maildrop.Messages[0].Uid, maildrop.Messages[2].Uid, maildrop.Messages[4].Uid];
            // Mail arrives during the session.
            await File.AppendAllTextAsync(path, "From late Mon Jan  1 00:00:00 2024\nSubject: late\n\nlate body\n\n");
            await maildrop.CommitAsync([1, 3], default);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        await using var after = await new MboxStore(path).OpenAsync(new MaildropRequest("u"), default);
        Assert.Equal(4, after.Messages.Count);
        Assert.Equal(keptUids, after.Messages.Take(3).Select(m => m.Uid));
        Assert.Equal("Subject: m2\r\n\r\nFrom the body 2\r\n", Encoding.ASCII.GetString(await StoreHarness.ReadWireAsync(after, 1)));
        Assert.Equal("Subject: late\r\n\r\nlate body\r\n", Encoding.ASCII.GetString(await StoreHarness.ReadWireAsync(after, 3)));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
        Assert.False(File.Exists(path + ".lock"));
    }

    [Fact]
    public async Task A_second_open_is_refused_while_the_first_holds_the_lock()
    {
        var path = Path.Combine(_dir.Path, "locked");
        await File.WriteAllBytesAsync(path, WriteMboxrd([Encoding.ASCII.GetBytes("Subject: x\n\nx\n")]));
        var store = new MboxStore(path);
        await using (await store.OpenAsync(new MaildropRequest("u"), default))
        {
            var error = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(new MaildropRequest("u"), default));
            Assert.Equal("IN-USE", error.Code);
        }

        await using var again = await store.OpenAsync(new MaildropRequest("u"), default);
        Assert.Single(again.Messages);
    }

    [Fact]
    public async Task A_missing_file_is_an_empty_maildrop_and_garbage_is_refused()
    {
        await using (var empty = await new MboxStore(Path.Combine(_dir.Path, "none")).OpenAsync(new MaildropRequest("u"), default))
        {
            Assert.Empty(empty.Messages);
        }

        var garbage = Path.Combine(_dir.Path, "garbage");
        await File.WriteAllTextAsync(garbage, "this is not\nan mbox\n");
        var error = await Assert.ThrowsAsync<MaildropException>(async () => await new MboxStore(garbage).OpenAsync(new MaildropRequest("u"), default));
        Assert.Equal("SYS/PERM", error.Code);
    }
}
