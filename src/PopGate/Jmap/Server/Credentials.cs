using System.Text;

namespace PopGate.Jmap.Server;

/// <summary>Reads user and password from an Authorization header: Basic, or Bearer holding the same base64 text.</summary>
internal static class Credentials
{
    public static bool TryRead(string? header, out string user, out string password)
    {
        user = password = string.Empty;
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return false;
        }

        var scheme = header[..space];
        if (!scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(header[(space + 1)..].Trim()));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        user = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }
}
