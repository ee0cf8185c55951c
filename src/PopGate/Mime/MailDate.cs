using System.Globalization;

namespace PopGate.Mime;

/// <summary>Reads an RFC 5322 date-time, including the obsolete forms (two-digit years, zone names).</summary>
public static class MailDate
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        var tokens = Tokens(text);
        var i = 0;
        if (i < tokens.Count && tokens[i].Length >= 3 && char.IsAsciiLetter(tokens[i][0]))
        {
            // The day of the week says nothing the date does not.
            i++;
        }

        if (i + 3 >= tokens.Count
            || !int.TryParse(tokens[i], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || Month(tokens[i + 1]) is not { } month
            || !int.TryParse(tokens[i + 2], NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            return false;
        }

        if (tokens[i + 2].Length <= 2)
        {
            year += year < 50 ? 2000 : 1900;
        }
        else if (tokens[i + 2].Length == 3)
        {
            year += 1900;
        }

        var time = tokens[i + 3].Split(':');
        if (time.Length is < 2 or > 3
            || !int.TryParse(time[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hour)
            || !int.TryParse(time[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minute))
        {
            return false;
        }

        var second = 0;
        if (time.Length == 3 && !int.TryParse(time[2], NumberStyles.None, CultureInfo.InvariantCulture, out second))
        {
            return false;
        }

        var offset = i + 4 < tokens.Count ? Zone(tokens[i + 4]) : TimeSpan.Zero;
        if (year is < 1 or > 9999 || day is < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        // A leap second is kept as the second before it.
        value = new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), offset);
        return true;
    }

    private static int? Month(string token)
    {
        var index = Array.IndexOf(Months, token.Length >= 3 ? token[..3].ToLowerInvariant() : token);
        return index < 0 ? null : index + 1;
    }

    private static TimeSpan Zone(string token)
    {
        if (token.Length == 5 && token[0] is '+' or '-'
            && int.TryParse(token.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            && int.TryParse(token.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            && hours < 24 && minutes < 60)
        {
            var span = new TimeSpan(hours, minutes, 0);
            return token[0] == '-' ? -span : span;
        }

        return token.ToUpperInvariant() switch
        {
            "EDT" => TimeSpan.FromHours(-4),
            "EST" or "CDT" => TimeSpan.FromHours(-5),
            "CST" or "MDT" => TimeSpan.FromHours(-6),
            "MST" or "PDT" => TimeSpan.FromHours(-7),
            "PST" => TimeSpan.FromHours(-8),
            // UT, GMT, Z and the military zones, whose signs were often wrong: RFC 5322 says take them as +0000.
            _ => TimeSpan.Zero,
        };
    }

    /// <summary>Words of the date without comments, commas split off.</summary>
    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var depth = 0;
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            var separator = c is ' ' or '\t' or ',' or '\r' or '\n' || c == '(' || c == ')' || depth > 0;
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && depth > 0)
            {
                depth--;
            }

            if (separator)
            {
                if (start >= 0)
                {
                    tokens.Add(text[start..i]);
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        return tokens;
    }
}
