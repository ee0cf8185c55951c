using System.Globalization;
using System.Text;

namespace PopGate.Bench.Corpus;

/// <summary>One generated message: its bytes (LF line ends, as a local delivery agent stores them) and wire size.</summary>
public sealed record CorpusMessage(int Index, byte[] Bytes, long WireSize)
{
    /// <summary>A Maildir file name carrying the file size (S=) and the CRLF size (W=), as Dovecot's LDA writes them.</summary>
    public string FileName => string.Create(CultureInfo.InvariantCulture, $"{1_700_000_000 + Index}.M{Index}P0.bench,S={Bytes.Length},W={WireSize}");
}

/// <summary>
/// Deterministic benchmark mail: the same count and seed give the same bytes. Sizes are lognormal around a median
/// of 8 KiB (sigma 1.1, clipped to 600 B .. 900 KiB); every 200th message is a 1-5 MiB multipart with a base64
/// attachment. About a quarter have 8-bit UTF-8 bodies, about an eighth have lines starting with '.', the rest are
/// quoted-printable or multipart/alternative.
/// </summary>
public static class CorpusGenerator
{
    private const double MedianBytes = 8 * 1024;
    private const double Sigma = 1.1;
    private const int MinBytes = 600;
    private const int MaxBytes = 900 * 1024;

    private static readonly string[] Words =
    [
        "mail", "server", "message", "protocol", "the", "of", "and", "to", "a", "in", "is", "that", "for", "with",
        "delivery", "mailbox", "retrieve", "delete", "quit", "octets", "line", "header", "body", "window", "pipeline",
        "socket", "client", "test", "bench", "load", "queue", "report", "number", "result", "status", "session",
        "network", "throughput", "latency", "memory", "process", "thread", "buffer", "stream", "reply", "command",
    ];

    private static readonly string[] EightBitWords =
    [
        "größe", "café", "naïve", "smørrebrød", "ñandú", "Привет", "мир", "日本語", "メール", "€uro", "Ærø", "façade",
        "Zürich", "Ελληνικά", "שלום", "中文", "crème", "brûlée", "Øresund", "señal",
    ];

    private static readonly string[] DotLines = [".", "..", ". a line that starts with a dot", "...", ".x", ".. two dots"];

    /// <summary>The messages 0 .. count-1, generated one at a time.</summary>
    public static IEnumerable<CorpusMessage> Generate(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            yield return Next(random, i, seed);
        }
    }

    private static CorpusMessage Next(Random random, int index, int seed)
    {
        var big = index % 200 == 199;
        var target = big
            ? random.Next(1 << 20, 5 << 20)
            : (int)Math.Clamp(Math.Exp(Math.Log(MedianBytes) + (Sigma * Gaussian(random))), MinBytes, MaxBytes);
        var kind = random.NextDouble();
        var withDots = random.NextDouble() < 0.12;
        var text = new StringBuilder(target + 1024);
        Headers(text, random, index, seed);
        if (big)
        {
            Multipart(text, random, index, target, withDots, attachment: true);
        }
        else if (kind < 0.25)
        {
            text.Append("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n");
            Paragraphs(text, random, target, eightBit: true, withDots);
        }
        else if (kind < 0.6)
        {
            text.Append("Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: quoted-printable\n\n");
            QuotedPrintable(text, random, target, withDots);
        }
        else
        {
            Multipart(text, random, index, target, withDots, attachment: false);
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var lines = bytes.AsSpan().Count((byte)'\n');
        return new CorpusMessage(index, bytes, bytes.Length + lines);
    }

    private static double Gaussian(Random random)
    {
        // Box-Muller; 1 - NextDouble() keeps the logarithm's argument above zero.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static void Headers(StringBuilder text, Random random, int index, int seed)
    {
        var sender = random.Next(1, 500);
        var date = new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero).AddMinutes(index * 7);
        text.Append(CultureInfo.InvariantCulture, $"Return-Path: <sender{sender}@example.org>\n")
            .Append("Delivered-To: bench@example.net\n")
            .Append(CultureInfo.InvariantCulture, $"Message-ID: <{index}.{seed}@bench.example>\n")
            .Append(CultureInfo.InvariantCulture, $"Date: {date.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)} +0000\n")
            .Append(CultureInfo.InvariantCulture, $"From: Sender {sender} <sender{sender}@example.org>\n")
            .Append("To: Bench User <bench@example.net>\n")
            .Append(CultureInfo.InvariantCulture, $"Subject: bench message {index}: {Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]}\n")
            .Append("MIME-Version: 1.0\n")
            .Append(CultureInfo.InvariantCulture, $"X-Bench-Index: {index}\n");
    }

    /// <summary>Text lines of 40 to 76 characters until the message reaches <paramref name="target"/> characters.</summary>
    private static void Paragraphs(StringBuilder text, Random random, int target, bool eightBit, bool withDots)
    {
        while (text.Length < target)
        {
            if (withDots && random.Next(40) == 0)
            {
                text.Append(DotLines[random.Next(DotLines.Length)]).Append('\n');
                continue;
            }

            if (random.Next(12) == 0)
            {
                text.Append('\n');
                continue;
            }

            Line(text, random, random.Next(40, 77), eightBit);
            text.Append('\n');
        }
    }

    private static void Line(StringBuilder text, Random random, int width, bool eightBit)
    {
        var start = text.Length;
        while (text.Length - start < width)
        {
            if (text.Length > start)
            {
                text.Append(' ');
            }

            text.Append(eightBit && random.Next(4) == 0 ? EightBitWords[random.Next(EightBitWords.Length)] : Words[random.Next(Words.Length)]);
        }
    }

    private static void QuotedPrintable(StringBuilder text, Random random, int target, bool withDots)
    {
        while (text.Length < target)
        {
            if (withDots && random.Next(40) == 0)
            {
                text.Append(DotLines[random.Next(DotLines.Length)]).Append('\n');
                continue;
            }

            Line(text, random, random.Next(40, 70), eightBit: false);
            // Encoded characters and soft line breaks, as a QP encoder writes them.
            text.Append(random.Next(3) switch { 0 => "=3D=\n", 1 => " =E2=82=AC\n", _ => "\n" });
        }
    }

    private static void Multipart(StringBuilder text, Random random, int index, int target, bool withDots, bool attachment)
    {
        var boundary = string.Create(CultureInfo.InvariantCulture, $"=_bench_{index}_part");
        var kind = attachment ? "mixed" : "alternative";
        text.Append(CultureInfo.InvariantCulture, $"Content-Type: multipart/{kind}; boundary=\"{boundary}\"\n\n")
            .Append("This is a multi-part message in MIME format.\n\n")
            .Append(CultureInfo.InvariantCulture, $"--{boundary}\nContent-Type: text/plain; charset=us-ascii\n\n");
        var textPart = attachment ? Math.Min(target, text.Length + 4096) : text.Length + ((target - text.Length) / 2);
        Paragraphs(text, random, textPart, eightBit: false, withDots);
        if (attachment)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n--{boundary}\nContent-Type: application/octet-stream; name=\"data{index}.bin\"\n")
                .Append("Content-Transfer-Encoding: base64\nContent-Disposition: attachment\n\n");
            var chunk = new byte[57];
            while (text.Length < target)
            {
                random.NextBytes(chunk);
                text.Append(Convert.ToBase64String(chunk)).Append('\n');
            }
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"\n--{boundary}\nContent-Type: text/html; charset=us-ascii\n\n<html><body>\n");
            while (text.Length < target)
            {
                text.Append("<p>");
                Line(text, random, random.Next(30, 70), eightBit: false);
                text.Append("</p>\n");
            }

            text.Append("</body></html>\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"\n--{boundary}--\n");
    }
}
