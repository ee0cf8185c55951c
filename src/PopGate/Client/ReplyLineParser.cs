using System.Text;
using PopGate.Protocol;

namespace PopGate.Client;

/// <summary>Reads the status of a reply line. Pure: no I/O.</summary>
internal static class ReplyLineParser
{
    /// <summary>Parses "+OK text", "-ERR text" or "+ challenge"; returns null when the line is none of these.</summary>
    /// <remarks>
    /// Status words are matched without regard to case and may stand alone; several servers send "+ok" or a bare
    /// "-ERR". Anything else at the start of a reply means the two ends disagree about where replies begin.
    /// </remarks>
    public static Pop3Reply? Parse(ReadOnlySpan<byte> line)
    {
        if (StartsWithWord(line, "+OK"u8))
        {
            return Make(ReplyStatus.Ok, line[3..]);
        }

        if (StartsWithWord(line, "-ERR"u8))
        {
            return Make(ReplyStatus.Error, line[4..]);
        }

        if (line.Length >= 1 && line[0] == (byte)'+' && (line.Length == 1 || line[1] == (byte)' '))
        {
            var challenge = line.Length > 2 ? line[2..] : [];
            return new Pop3Reply(ReplyStatus.Continuation, Encoding.ASCII.GetString(challenge.Trim((byte)' ')), null);
        }

        return null;
    }

    private static bool StartsWithWord(ReadOnlySpan<byte> line, ReadOnlySpan<byte> word)
    {
        if (line.Length < word.Length || !Ascii.EqualsIgnoreCase(line[..word.Length], word))
        {
            return false;
        }

        return line.Length == word.Length || line[word.Length] is (byte)' ' or (byte)'\t';
    }

    private static Pop3Reply Make(ReplyStatus status, ReadOnlySpan<byte> rest)
    {
        var text = ServerText.Decode(rest.TrimStart((byte)' '));
        return new Pop3Reply(status, text, ResponseCodes.Parse(text));
    }
}
