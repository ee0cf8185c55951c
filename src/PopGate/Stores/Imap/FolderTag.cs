using System.Security.Cryptography;
using System.Text;

namespace PopGate.Stores.Imap;

/// <summary>The UIDL prefix that keeps the UIDs of several folders apart: the folder's name when it is short and
/// plain, else "f" and 8 hex digits of its SHA-256. Stable as long as the folder keeps its name.</summary>
internal static class FolderTag
{
    public static string Of(string folder)
    {
        if (folder.Length is > 0 and <= 20 && folder.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            return folder;
        }

        return "f" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(folder)).AsSpan(0, 4));
    }
}
