using System.Text;

namespace PopGate.Mime;

/// <summary>An RFC 8621 EmailAddress: the display name (decoded) and the addr-spec.</summary>
public sealed record MailAddress(string? Name, string Email)
{
    /// <summary>
    /// Reads an address-list (RFC 5322 section 3.4) leniently: groups are flattened, comments dropped (or used as
    /// the name when there is no other), quoted names unquoted, encoded-words decoded.
    /// </summary>
    public static IReadOnlyList<MailAddress> ParseList(string text)
    {
        var result = new List<MailAddress>();
        foreach (var item in SplitTopLevel(text))
        {
            var parsed = ParseOne(item);
            if (parsed is not null)
            {
                result.Add(parsed);
            }
        }

        return result;
    }

    private static MailAddress? ParseOne(string item)
    {
        var open = IndexTopLevel(item, '<');
        if (open >= 0)
        {
            var close = item.IndexOf('>', open + 1);
            var inside = close < 0 ? item[(open + 1)..] : item[(open + 1)..close];
            // An obsolete source route ("@a,@b:user@host") is not part of the address.
            var route = inside.LastIndexOf(':');
            var email = (route >= 0 ? inside[(route + 1)..] : inside).Trim();
            var name = CleanName(WithoutComments(item[..open], out _));
            return email.Length == 0 && name is null ? null : new MailAddress(name, email);
        }

        var bare = WithoutComments(item, out var comment).Trim();
        if (bare.Length == 0)
        {
            return null;
        }

        return new MailAddress(CleanName(comment), bare.Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    private static string? CleanName(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        var text = raw.Trim();
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                continue;
            }

            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            builder.Append(text[i]);
        }

        var name = EncodedWords.Decode(builder.ToString().Trim());
        return name.Length == 0 ? null : name;
    }

    /// <summary>The text with (comments) removed; the first comment's content is handed back.</summary>
    private static string WithoutComments(string text, out string? firstComment)
    {
        firstComment = null;
        var output = new StringBuilder(text.Length);
        var depth = 0;
        var quoted = false;
        var comment = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                (depth > 0 ? comment : output).Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (depth == 0 && c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
                if (depth == 1)
                {
                    continue;
                }
            }
            else if (!quoted && c == ')' && depth > 0)
            {
                depth--;
                if (depth == 0)
                {
                    firstComment ??= comment.ToString();
                    comment.Clear();
                    continue;
                }
            }

            (depth > 0 ? comment : output).Append(c);
        }

        return output.ToString();
    }

    private static int IndexTopLevel(string text, char wanted)
    {
        var quoted = false;
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                i++;
            }
            else if (c == '"' && depth == 0)
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')' && depth > 0)
            {
                depth--;
            }
            else if (!quoted && depth == 0 && c == wanted)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Items of the list: split at commas and at group delimiters outside quotes, comments and angle brackets.</summary>
    private static List<string> SplitTopLevel(string text)
    {
        var items = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var depth = 0;
        var angle = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (c == '"' && depth == 0)
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')' && depth > 0)
            {
                depth--;
            }
            else if (!quoted && depth == 0 && c == '<')
            {
                angle = true;
            }
            else if (!quoted && depth == 0 && c == '>')
            {
                angle = false;
            }
            else if (!quoted && depth == 0 && !angle && (c == ',' || c == ';'))
            {
                items.Add(current.ToString());
                current.Clear();
                continue;
            }
            else if (!quoted && depth == 0 && !angle && c == ':')
            {
                // "Group name:" starts a group; its name is not an address.
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        items.Add(current.ToString());
        return items;
    }
}
