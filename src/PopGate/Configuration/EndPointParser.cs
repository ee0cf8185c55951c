using System.Globalization;
using System.Net;

namespace PopGate.Configuration;

/// <summary>Reads listen addresses: "127.0.0.1:110", "[::1]:110", "*:995" (every address), ":110" (same).</summary>
public static class EndPointParser
{
    public static bool TryParse(string text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        var host = text[..colon];
        if (host is "" or "*")
        {
            endPoint = new IPEndPoint(IPAddress.IPv6Any, port);
            return true;
        }

        if (host == "localhost")
        {
            endPoint = new IPEndPoint(IPAddress.Loopback, port);
            return true;
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }
}
