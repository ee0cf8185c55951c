using System.Globalization;
using System.Text;

namespace PopGate.Imap;

/// <summary>The client's messages of the SASL mechanisms the client speaks, before base64.</summary>
public static class SaslPayloads
{
    /// <summary>PLAIN (RFC 4616): authzid NUL authcid NUL password, with an empty authzid.</summary>
    public static byte[] Plain(string user, string password) => Encoding.UTF8.GetBytes($"\0{user}\0{password}");

    /// <summary>XOAUTH2 (Google's and Microsoft's): "user=U^Aauth=Bearer T^A^A".</summary>
    public static byte[] XOAuth2(string user, string token) => Encoding.UTF8.GetBytes($"user={user}\u0001auth=Bearer {token}\u0001\u0001");

    /// <summary>OAUTHBEARER (RFC 7628): a GS2 header naming the user, then host, port and the bearer token.</summary>
    public static byte[] OAuthBearer(string user, string token, string host, int port) =>
        Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"n,a={EscapeGs2(user)},\u0001host={host}\u0001port={port}\u0001auth=Bearer {token}\u0001\u0001"));

    /// <summary>In a GS2 authzid "," and "=" are written =2C and =3D.</summary>
    private static string EscapeGs2(string user) => user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    /// <summary>Base64 as IMAP wants it; "=" for an empty initial response (RFC 4959).</summary>
    public static byte[] ToWire(ReadOnlySpan<byte> payload) =>
        payload.IsEmpty ? "="u8.ToArray() : Encoding.ASCII.GetBytes(Convert.ToBase64String(payload));
}
