using System.Text.Json;
using System.Text.RegularExpressions;
using PopGate.Mime;
using PopGate.Testing;

namespace PopGate.Tests.Mime;

/// <summary>
/// Every corpus message whose Subject or From carries encoded-words, decoded here and by Python's email package
/// (decode_header and make_header, run by the test): both must read the same text, white space aside.
/// </summary>
public sealed partial class HeaderDecodingOracleTests
{
    private const string Script = """
        import email.header, json, sys
        out = {}
        for path in sys.argv[1:]:
            raw = open(path, 'rb').read()
            head = raw.split(b'\n\n', 1)[0].split(b'\r\n\r\n', 1)[0]
            fields = {}
            name = None
            for line in head.replace(b'\r\n', b'\n').split(b'\n'):
                if line[:1] in (b' ', b'\t') and name:
                    fields[name] += line
                elif b':' in line:
                    name, value = line.split(b':', 1)
                    name = name.strip().lower().decode('ascii', 'replace')
                    if name in fields:
                        name = None
                        continue
                    fields[name] = value
            result = {}
            for key in ('subject', 'from'):
                if key not in fields:
                    continue
                try:
                    text = fields[key].decode('ascii').strip()
                    result[key] = str(email.header.make_header(email.header.decode_header(text)))
                except Exception:
                    pass
            out[path] = result
        print(json.dumps(out))
        """;

    [Fact]
    public async Task Agrees_with_python_on_the_corpus()
    {
        var files = TestCorpus.NonEmptyMessageFiles()
            .Where(f => EncodedHeader().IsMatch(File.ReadAllText(f, System.Text.Encoding.Latin1)))
            .ToList();
        Assert.True(files.Count >= 20, $"only {files.Count} corpus messages with encoded-words");
        var python = PeerProgram.Require("python3");
        var run = await ProcessRunner.RunAsync(python, ["-c", Script, .. files], TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, run.ToString());
        var oracle = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(run.StdOut)!;

        var compared = 0;
        var differences = new List<string>();
        foreach (var file in files)
        {
            var fields = HeaderFields.Parse(File.ReadAllBytes(file));
            foreach (var (key, expected) in oracle[file])
            {
                var ours = fields.Decoded(key);
                compared++;
                if (Squash(ours) != Squash(expected))
                {
                    differences.Add($"{Path.GetFileName(file)} {key}: ours '{ours}', python '{expected}'");
                }
            }
        }

        Assert.True(compared >= 20, $"only {compared} values compared");
        Assert.Empty(differences);
    }

    private static string Squash(string? text) => Spaces().Replace(text ?? string.Empty, " ").Trim();

    [GeneratedRegex(@"^(Subject|From):[^\n]*=\?", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex EncodedHeader();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
