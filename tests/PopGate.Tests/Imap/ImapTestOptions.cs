using System.Text;
using PopGate.Imap;

namespace PopGate.Tests.Imap;

/// <summary>Settings shared by the tests against scripted servers.</summary>
internal static class ImapTestOptions
{
    /// <summary>A connection to a scripted server on loopback, with a short timeout.</summary>
    public static ImapConnectionOptions Connection(int port, ImapSecurity security = ImapSecurity.None) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        Security = security,
        Limits = new ImapLimits { Timeout = TimeSpan.FromSeconds(5) },
    };

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
