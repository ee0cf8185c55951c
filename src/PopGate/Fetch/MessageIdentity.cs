using System.Security.Cryptography;
using System.Text;
using PopGate.Client;

namespace PopGate.Fetch;

/// <summary>Names for an account and its messages that stay the same from one run to the next.</summary>
public static class MessageIdentity
{
    /// <summary>host:port:user, the key under which the state store keeps an account's messages.</summary>
    public static string Server(ConnectionSpec spec, string user) =>
        $"{spec.Host.ToLowerInvariant()}:{spec.Port}:{user}";

    /// <summary>32 hex digits of SHA-256 over the server identity and the UIDL: safe in a file name, and unique.</summary>
    public static string Digest(string server, string uid)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(server + "\n" + uid));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 16));
    }

    /// <summary>The default state file of an account: under $XDG_DATA_HOME (or ~/.local/share)/popgate/fetch/.</summary>
    public static string DefaultStatePath(string server)
    {
        var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(data))
        {
            data = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        var name = new StringBuilder(server.Length);
        foreach (var c in server)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' ? c : '_');
        }

        return Path.Combine(data, "popgate", "fetch", name + ".sqlite");
    }
}
