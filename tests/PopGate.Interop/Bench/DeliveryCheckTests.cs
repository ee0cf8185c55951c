using System.Text;
using PopGate.Bench.Download;
using PopGate.Testing;

namespace PopGate.Interop.Bench;

/// <summary>The download benchmark's verification notices every way a delivery can go wrong.</summary>
public sealed class DeliveryCheckTests
{
    private static readonly byte[][] Expected =
    [
        Encoding.ASCII.GetBytes("Subject: one\n\nbody\n"),
        Encoding.ASCII.GetBytes("Subject: two\n\n.\n..\n"),
        Encoding.ASCII.GetBytes("Subject: one\n\nbody\n"),
    ];

    private static string Maildir(TempDir dir, params byte[][] files)
    {
        var maildir = dir.Sub("Maildir");
        Directory.CreateDirectory(Path.Combine(maildir, "new"));
        Directory.CreateDirectory(Path.Combine(maildir, "cur"));
        for (var i = 0; i < files.Length; i++)
        {
            File.WriteAllBytes(Path.Combine(maildir, i % 2 == 0 ? "new" : "cur", $"m{i}"), files[i]);
        }

        return maildir;
    }

    [Fact]
    public void Accepts_each_message_once_with_crlf_stored_as_lf_or_as_it_came()
    {
        using var dir = new TempDir("dlcheck");
        var crlf = Encoding.ASCII.GetBytes("Subject: two\r\n\r\n.\r\n..\r\n");
        var report = DeliveryCheck.Verify(Maildir(dir, Expected[0], crlf, Expected[2]), Expected);
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(3, report.Intact);
    }

    [Fact]
    public void Rejects_a_changed_byte_a_missing_message_and_a_duplicate()
    {
        using var changed = new TempDir("dlcheck");
        var altered = (byte[])Expected[1].Clone();
        altered[^2] = (byte)'x';
        var report = DeliveryCheck.Verify(Maildir(changed, Expected[0], altered, Expected[2]), Expected);
        Assert.False(report.Ok);
        Assert.Equal((1, 1), (report.Unknown, report.Missing));

        using var missing = new TempDir("dlcheck");
        report = DeliveryCheck.Verify(Maildir(missing, Expected[0], Expected[1]), Expected);
        Assert.False(report.Ok);
        Assert.Equal(1, report.Missing);

        using var twice = new TempDir("dlcheck");
        report = DeliveryCheck.Verify(Maildir(twice, Expected[0], Expected[1], Expected[2], Expected[1]), Expected);
        Assert.False(report.Ok);
        Assert.Equal(1, report.Duplicates);
    }
}
