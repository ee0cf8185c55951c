using System.Text;

namespace PopGate.Cli.Commands;

/// <summary>Makes text that came from a server safe to print: no control characters that could drive a terminal.</summary>
internal static class Terminal
{
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var output = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            output.Append(c == '\t' ? ' ' : char.IsControl(c) || c is '\u202E' or '\u202D' ? '?' : c);
        }

        return output.ToString();
    }
}
