namespace PopGate.Client;

/// <summary>Writes the transcript as "C: ..." and "S: ..." lines to a <see cref="TextWriter"/>.</summary>
public sealed class TextTranscript : IPop3Transcript
{
    private readonly TextWriter _writer;
    private readonly Lock _gate = new();

    public TextTranscript(TextWriter writer)
    {
        _writer = writer;
    }

    public void ClientLine(string line) => Write("C: ", line);

    public void ServerLine(string line) => Write("S: ", line);

    private void Write(string prefix, string line)
    {
        lock (_gate)
        {
            _writer.Write(prefix);
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }
}
