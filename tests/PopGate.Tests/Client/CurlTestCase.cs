using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PopGate.Testing;

namespace PopGate.Tests.Client;

/// <summary>
/// One of curl's POP3 test cases (tests/data/testNNN in curl): what its test server is told to reply, the command
/// line curl runs, the protocol curl must send and the data it must deliver. Macros are expanded here.
/// </summary>
internal sealed partial class CurlTestCase
{
    private CurlTestCase(int number, string text)
    {
        Number = number;
        Name = Element(text, "name")?.Trim() ?? $"test{number}";
        Data = Bytes(text, "data");
        DataCheck = Bytes(text, "datacheck");
        ServerCommands = (Element(text, "servercmd") ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(Expand)
            .ToList();
        Command = Expand(Element(text, "command")!.Trim());
        Protocol = Expand(Element(text, "protocol") ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd('\r'))
            .ToList();
        ErrorCode = Element(text, "errorcode") is { } code ? int.Parse(code.Trim(), CultureInfo.InvariantCulture) : null;
    }

    public int Number { get; }
    public string Name { get; }
    public byte[]? Data { get; }
    public byte[]? DataCheck { get; }
    public IReadOnlyList<string> ServerCommands { get; }
    public string Command { get; }
    public IReadOnlyList<string> Protocol { get; }
    public int? ErrorCode { get; }

    public static IReadOnlyList<int> Numbers() =>
        TestCorpus.Files(Path.Combine("transcripts", "curl"))
            .Select(f => int.Parse(Path.GetFileName(f)["test".Length..], CultureInfo.InvariantCulture))
            .ToList();

    public static CurlTestCase Load(int number) =>
        new(number, File.ReadAllText(Path.Combine(TestCorpus.Root, "transcripts", "curl", $"test{number}")));

    private string Expand(string text)
    {
        text = text.Replace("%TESTNUMBER", Number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("%LT", "<", StringComparison.Ordinal)
            .Replace("%GT", ">", StringComparison.Ordinal)
            .Replace("\\@", "@", StringComparison.Ordinal);
        return Base64Macro().Replace(text, m => Convert.ToBase64String(PercentDecode(m.Groups[1].Value)));
    }

    private static byte[] PercentDecode(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return bytes.ToArray();
    }

    private byte[]? Bytes(string text, string tag)
    {
        var match = Regex.Match(text, $"<{tag}( [^>]*)?>\\n(.*?)</{tag}>", RegexOptions.Singleline);
        if (!match.Success)
        {
            return null;
        }

        var content = Expand(match.Groups[2].Value);
        if (match.Groups[1].Value.Contains("crlf=\"yes\"", StringComparison.Ordinal))
        {
            content = content.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        }

        return Encoding.UTF8.GetBytes(content);
    }

    private static string? Element(string text, string tag)
    {
        var match = Regex.Match(text, $"<{tag}( [^>]*)?>(.*?)</{tag}>", RegexOptions.Singleline);
        return match.Success ? match.Groups[2].Value : null;
    }

    [GeneratedRegex(@"%b64\[(.*?)\]b64%")]
    private static partial Regex Base64Macro();
}
