using System.Text;

namespace PopGate.Auth;

/// <summary>The users of one users file, with the warnings met while reading it.</summary>
internal sealed record PasswdFile(IReadOnlyDictionary<string, PasswdEntry> Users, IReadOnlyList<string> Warnings);

/// <summary>
/// Reads Dovecot's passwd-file format: user:password[:uid:gid:gecos:home:shell:extra_fields], '#' comments and blank
/// lines ignored. The extra fields are the rest of the line, so a value may hold ':' (mail=maildir:/path).
/// </summary>
internal static class PasswdFileParser
{
    private const int FieldCount = 8;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static PasswdFile Parse(ReadOnlySpan<byte> content, string path)
    {
        var users = new Dictionary<string, PasswdEntry>(StringComparer.Ordinal);
        var warnings = new List<string>();
        if (content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            content = content[3..];
        }

        var lineNumber = 0;
        while (!content.IsEmpty)
        {
            lineNumber++;
            var end = content.IndexOf((byte)'\n');
            var raw = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            if (raw.EndsWith("\r"u8))
            {
                raw = raw[..^1];
            }

            string line;
            try
            {
                line = StrictUtf8.GetString(raw);
            }
            catch (DecoderFallbackException)
            {
                throw new PasswdFileException(path, lineNumber, "line is not valid UTF-8");
            }

            var trimmed = line.AsSpan().TrimStart();
            if (trimmed.IsEmpty || trimmed[0] == '#')
            {
                continue;
            }

            var entry = ParseLine(line, path, lineNumber, warnings);
            if (!users.TryAdd(entry.User, entry))
            {
                throw new PasswdFileException(path, lineNumber, $"duplicate user '{entry.User}' (first on line {users[entry.User].LineNumber})");
            }
        }

        return new PasswdFile(users, warnings);
    }

    private static PasswdEntry ParseLine(string line, string path, int lineNumber, List<string> warnings)
    {
        var fields = line.Split(':', FieldCount);
        var user = fields[0];
        if (user.Length == 0)
        {
            throw new PasswdFileException(path, lineNumber, "empty user name");
        }

        if (HasControlOrSpace(user))
        {
            throw new PasswdFileException(path, lineNumber, $"user name '{Printable(user)}' holds white space or control characters");
        }

        if (fields.Length == 1)
        {
            throw new PasswdFileException(path, lineNumber, $"no ':' after user name '{user}'");
        }

        string scheme = string.Empty, hash = string.Empty;
        var where = $"users file line {lineNumber}: user '{user}'";
        if (fields[1].Length == 0)
        {
            warnings.Add($"{where} has no password and cannot log in");
        }
        else
        {
            if (!PasswordSchemes.TrySplit(fields[1], out scheme, out hash, out var splitError))
            {
                throw new PasswdFileException(path, lineNumber, $"user '{user}': {splitError}");
            }

            var found = PasswordSchemes.Find(scheme)
                ?? throw new PasswdFileException(path, lineNumber, $"user '{user}': {PasswordHasher.UnknownScheme(scheme)}");
            var malformed = found.Check(hash);
            if (malformed is not null)
            {
                throw new PasswdFileException(path, lineNumber, $"user '{user}': malformed {{{scheme}}} password: {malformed}");
            }

            if (PasswordSchemes.IsClearText(scheme))
            {
                warnings.Add($"{where} has a {{{scheme}}} password; use `popgate passwd {user}`");
            }
            else if (scheme.StartsWith("SHA256", StringComparison.Ordinal) && !scheme.StartsWith("SHA256-", StringComparison.Ordinal))
            {
                warnings.Add($"{where} has an unsalted {{{scheme}}} password; use `popgate passwd {user}`");
            }
        }

        var home = fields.Length > 5 && fields[5].Length > 0 ? fields[5] : null;
        var extra = fields.Length > 7 ? ParseExtra(fields[7]) : new Dictionary<string, string>(StringComparer.Ordinal);
        if (extra.ContainsKey("nopassword"))
        {
            warnings.Add($"{where} has 'nopassword', which is ignored: a password is always required");
        }

        return new PasswdEntry(user, scheme, hash, extra, home, lineNumber);
    }

    private static bool HasControlOrSpace(string user)
    {
        foreach (var c in user)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<string, string> ParseExtra(string text)
    {
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                extra[item] = string.Empty;
            }
            else
            {
                extra[item[..eq]] = item[(eq + 1)..];
            }
        }

        return extra;
    }

    private static string Printable(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(char.IsControl(c) ? '?' : c);
        }

        return sb.ToString();
    }
}
