using System.Globalization;

namespace PopGate.Client;

/// <summary>
/// Where to connect and as whom: <c>[ssl:|starttls:|tcp:][user@]host[!sni_host][:port]</c>.
/// Without a prefix the connection uses implicit TLS. IPv6 addresses go in brackets: <c>ssl:[::1]:995</c>.
/// </summary>
public sealed record ConnectionSpec
{
    public const int TlsPort = 995;
    public const int PlainPort = 110;

    public ConnectionSpec(string host, int port, ConnectionSecurity security, string? user = null, string? sniHost = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        Host = host;
        Port = port;
        Security = security;
        User = user;
        SniHost = sniHost;
    }

    /// <summary>The TCP host: a name or an IP address (without brackets).</summary>
    public string Host { get; init; }

    public int Port { get; init; }

    public ConnectionSecurity Security { get; init; }

    /// <summary>The login name, when the spec names one.</summary>
    public string? User { get; init; }

    /// <summary>The name sent in TLS SNI and checked against the certificate, when it differs from <see cref="Host"/>.</summary>
    public string? SniHost { get; init; }

    /// <summary>The name TLS uses: <see cref="SniHost"/> or else <see cref="Host"/>.</summary>
    public string TlsHost => SniHost ?? Host;

    /// <summary>The spec text this was parsed from, when it was parsed (netrc entries may be keyed by it).</summary>
    public string? Text { get; init; }

    /// <summary>Parses a spec; throws <see cref="FormatException"/> with a message fit for users.</summary>
    public static ConnectionSpec Parse(string text)
    {
        if (!TryParse(text, out var spec, out var error))
        {
            throw new FormatException(error);
        }

        return spec;
    }

    public static bool TryParse(string? text, out ConnectionSpec spec, out string error)
    {
        spec = null!;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty server spec; expected [ssl:|starttls:|tcp:][user@]host[!sni_host][:port]";
            return false;
        }

        var rest = text.Trim();
        var security = ConnectionSecurity.Tls;
        foreach (var (prefix, kind) in Prefixes)
        {
            if (rest.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                security = kind;
                rest = rest[prefix.Length..];
                break;
            }
        }

        string? user = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            user = rest[..at];
            rest = rest[(at + 1)..];
            if (user.Length == 0)
            {
                error = $"empty user name in '{text}'";
                return false;
            }
        }

        if (!SplitHostPort(rest, out var hostPart, out var portText, out error))
        {
            return false;
        }

        string? sni = null;
        var bang = hostPart.IndexOf('!');
        if (bang >= 0)
        {
            sni = hostPart[(bang + 1)..];
            hostPart = hostPart[..bang];
            if (sni.Length == 0)
            {
                error = $"empty TLS server name after '!' in '{text}'";
                return false;
            }
        }

        if (hostPart.StartsWith('['))
        {
            if (!hostPart.EndsWith(']') || hostPart.Length < 3)
            {
                error = $"unclosed '[' in '{text}'";
                return false;
            }

            hostPart = hostPart[1..^1];
        }

        if (hostPart.Length == 0)
        {
            error = $"no host in '{text}'";
            return false;
        }

        var port = security == ConnectionSecurity.Tls ? TlsPort : PlainPort;
        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            error = $"bad port '{portText}' in '{text}'";
            return false;
        }

        spec = new ConnectionSpec(hostPart, port, security, user, sni) { Text = text.Trim() };
        return true;
    }

    private static readonly (string Prefix, ConnectionSecurity Kind)[] Prefixes =
    [
        ("ssl:", ConnectionSecurity.Tls),
        ("tls:", ConnectionSecurity.Tls),
        ("starttls:", ConnectionSecurity.StartTls),
        ("tcp:", ConnectionSecurity.None),
    ];

    // The port is after the last ':' that is not inside brackets; a bare IPv6 address without brackets is refused
    // because its last group would read as a port.
    private static bool SplitHostPort(string rest, out string host, out string? port, out string error)
    {
        error = string.Empty;
        port = null;
        host = rest;
        var close = rest.LastIndexOf(']');
        var colon = rest.LastIndexOf(':');
        if (colon > close)
        {
            host = rest[..colon];
            port = rest[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal) && !host.Contains('[', StringComparison.Ordinal))
            {
                error = $"put an IPv6 address in brackets: '[{rest}]'";
                return false;
            }
        }

        return true;
    }

    /// <summary>The canonical spec text.</summary>
    public override string ToString()
    {
        var prefix = Security switch
        {
            ConnectionSecurity.Tls => "ssl:",
            ConnectionSecurity.StartTls => "starttls:",
            _ => "tcp:",
        };
        var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        var user = User is null ? string.Empty : User + "@";
        var sni = SniHost is null ? string.Empty : "!" + SniHost;
        return $"{prefix}{user}{host}{sni}:{Port.ToString(CultureInfo.InvariantCulture)}";
    }
}
