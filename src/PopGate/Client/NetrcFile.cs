using System.Text;

namespace PopGate.Client;

/// <summary>
/// A .netrc file (the ftp(1) format curl, mpop and fetchmail read): "machine NAME login USER password PASS
/// account ACCT" entries and one "default" entry, tokens separated by any white space, quotes and backslash
/// escapes allowed, "macdef" blocks skipped up to the next empty line, and "#" starting a comment.
/// </summary>
public sealed class NetrcFile
{
    private NetrcFile(IReadOnlyList<NetrcEntry> entries)
    {
        Entries = entries;
    }

    public IReadOnlyList<NetrcEntry> Entries { get; }

    /// <summary>$NETRC when set, otherwise ~/.netrc.</summary>
    public static string DefaultPath =>
        Environment.GetEnvironmentVariable("NETRC") is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".netrc");

    /// <summary>Reads a file; a missing file gives null.</summary>
    public static async Task<NetrcFile?> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            return Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    public static NetrcFile Parse(string text)
    {
        var entries = new List<NetrcEntry>();
        var tokens = new Tokenizer(text);
        string? machine = null;
        string? login = null;
        string? password = null;
        string? account = null;
        var open = false;

        void Close()
        {
            if (open)
            {
                entries.Add(new NetrcEntry(machine, login, password, account));
            }

            machine = login = password = account = null;
            open = false;
        }

        while (tokens.Next() is { } token)
        {
            switch (token)
            {
                case "machine":
                    Close();
                    machine = tokens.Next();
                    open = machine is not null;
                    break;
                case "default":
                    Close();
                    open = true;
                    break;
                case "login":
                    login = tokens.Next();
                    break;
                case "password":
                    password = tokens.Next();
                    break;
                case "account":
                    account = tokens.Next();
                    break;
                case "macdef":
                    tokens.Next();
                    tokens.SkipMacro();
                    break;
            }
        }

        Close();
        return new NetrcFile(entries);
    }

    /// <summary>
    /// The first entry whose machine is one of <paramref name="machines"/> (tried in order) and, when
    /// <paramref name="login"/> is given, whose login matches or is absent; else the default entry on the same terms.
    /// </summary>
    public NetrcEntry? Find(IEnumerable<string> machines, string? login)
    {
        bool LoginFits(NetrcEntry e) => login is null || e.Login is null || string.Equals(e.Login, login, StringComparison.Ordinal);

        foreach (var machine in machines)
        {
            var match = Entries.FirstOrDefault(e => e.Machine is not null
                && string.Equals(e.Machine, machine, StringComparison.OrdinalIgnoreCase) && LoginFits(e));
            if (match is not null)
            {
                return match;
            }
        }

        return Entries.FirstOrDefault(e => e.Machine is null && LoginFits(e));
    }

    private sealed class Tokenizer(string text)
    {
        private int _at;

        public string? Next()
        {
            while (true)
            {
                while (_at < text.Length && char.IsWhiteSpace(text[_at]))
                {
                    _at++;
                }

                if (_at >= text.Length)
                {
                    return null;
                }

                if (text[_at] != '#')
                {
                    break;
                }

                while (_at < text.Length && text[_at] != '\n')
                {
                    _at++;
                }
            }

            var token = new StringBuilder();
            var quoted = text[_at] == '"';
            if (quoted)
            {
                _at++;
            }

            while (_at < text.Length)
            {
                var c = text[_at];
                if (quoted ? c == '"' : char.IsWhiteSpace(c))
                {
                    _at++;
                    break;
                }

                if (c == '\\' && _at + 1 < text.Length)
                {
                    _at++;
                    c = text[_at];
                }

                token.Append(c);
                _at++;
            }

            return token.ToString();
        }

        /// <summary>A macro definition runs to the first empty line.</summary>
        public void SkipMacro()
        {
            var end = text.IndexOf("\n\n", _at, StringComparison.Ordinal);
            var endCrLf = text.IndexOf("\r\n\r\n", _at, StringComparison.Ordinal);
            if (endCrLf >= 0 && (end < 0 || endCrLf < end))
            {
                end = endCrLf;
            }

            _at = end < 0 ? text.Length : end;
        }
    }
}
