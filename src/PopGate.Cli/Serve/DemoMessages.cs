namespace PopGate.Cli.Serve;

/// <summary>The sample mail of the demo maildrop: ordinary text, dot lines, 8-bit UTF-8, and an attachment.</summary>
internal static class DemoMessages
{
    public static readonly (string Name, string Text)[] All =
    [
        ("1700000001.demo1.popgate", """
            From: PopGate <demo@popgate.invalid>
            To: demo@popgate.invalid
            Subject: Welcome to the PopGate demo
            Date: Mon, 01 Jan 2024 09:00:00 +0000
            Message-ID: <welcome@popgate.invalid>

            This maildrop is served by `popgate serve` from a Maildir folder.
            Read it with any POP3 client: user demo, password demo.
            Deleted messages disappear only when the client sends QUIT.

            """),
        ("1700000002.demo2.popgate", """
            From: Dot Tester <dots@popgate.invalid>
            To: demo@popgate.invalid
            Subject: Lines that start with a dot
            Date: Mon, 01 Jan 2024 09:01:00 +0000
            Message-ID: <dots@popgate.invalid>

            The next line is a single dot, which POP3 must stuff:
            .
            ..and this one starts with two dots.
            .end

            """),
        ("1700000003.demo3.popgate", """
            From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@popgate.invalid>
            To: demo@popgate.invalid
            Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=
            Date: Mon, 01 Jan 2024 09:02:00 +0000
            Message-ID: <utf8@popgate.invalid>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            Grüße aus Köln! Ça va? 日本語のテキスト。
            POP3 passes these bytes through unchanged.

            """),
        ("1700000004.demo4.popgate", """
            From: Scanner <scanner@popgate.invalid>
            To: demo@popgate.invalid
            Subject: Scanned document
            Date: Mon, 01 Jan 2024 09:03:00 +0000
            Message-ID: <scan@popgate.invalid>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b1"

            --b1
            Content-Type: text/plain; charset=us-ascii

            The scan is attached.
            --b1
            Content-Type: text/plain; name="scan.txt"
            Content-Disposition: attachment; filename="scan.txt"
            Content-Transfer-Encoding: base64

            VGhpcyBpcyB0aGUgc2Nhbm5lZCBkb2N1bWVudC4K
            --b1--

            """),
    ];
}
