using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PopGate.Client;

namespace PopGate.Cli.Commands;

/// <summary>`popgate info SERVER`: the greeting, TLS details, capabilities and login methods, without logging in.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var common = new ClientCommandOptions();
        var json = new Option<bool>("--json") { Description = "print JSON instead of text" };
        var command = new Command("info", "Show what a POP3 server offers: greeting, TLS, certificate, capabilities, login methods.");
        common.AddTo(command);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => ClientErrors.RunAsync("info", async () =>
        {
            var settings = common.Read(result);
            await using var client = await ClientSession.OpenAsync(settings, login: false, cancellationToken).ConfigureAwait(false);
            var info = ServerInfo.From(client, settings.Spec);
            await client.QuitAsync(cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await using var stdout = Console.OpenStandardOutput();
                info.WriteJson(stdout);
                await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Console.Out.WriteAsync(info.ToText()).ConfigureAwait(false);
            }

            return ClientExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>What info reports, gathered once for both output forms.</summary>
    private sealed record ServerInfo(ConnectionSpec Spec, Pop3Greeting Greeting, TlsDetails? Tls, bool Trusted, Pop3Capabilities Capabilities, IReadOnlyList<string> Methods)
    {
        public static ServerInfo From(Pop3Client client, ConnectionSpec spec)
        {
            var capabilities = client.Capabilities;
            var methods = new List<string>(capabilities.SaslMechanisms);
            if (capabilities.User || !capabilities.Known)
            {
                methods.Add("USER");
            }

            if (client.Greeting!.ApopTimestamp is not null)
            {
                methods.Add("APOP");
            }

            var trusted = client.Tls is { PolicyErrors: System.Net.Security.SslPolicyErrors.None };
            return new ServerInfo(spec, client.Greeting, client.Tls, trusted, capabilities, methods);
        }

        public string ToText()
        {
            var lines = new List<(string, string)>
            {
                ("server", $"{Spec.Host}:{Spec.Port} ({Security})"),
                ("greeting", Terminal.Clean(Greeting.Text)),
            };
            if (Greeting.ApopTimestamp is not null)
            {
                lines.Add(("apop timestamp", Terminal.Clean(Greeting.ApopTimestamp)));
            }

            if (Tls is not null)
            {
                lines.Add(("tls", $"{Protocol(Tls)}, {Tls.CipherSuite}"));
                lines.Add(("tls name", Tls.TargetHost));
                lines.Add(("certificate", Terminal.Clean(Tls.Subject)));
                lines.Add(("issuer", Terminal.Clean(Tls.Issuer)));
                lines.Add(("valid", $"{Date(Tls.NotBefore)} to {Date(Tls.NotAfter)} ({Expiry(Tls.NotAfter)})"));
                lines.Add(("sha256", CertificateFingerprint.Format(Tls.Sha256Fingerprint)));
                lines.Add(("trusted", Trusted ? "yes" : $"no, accepted anyway ({Tls.PolicyErrors})"));
            }
            else
            {
                lines.Add(("tls", "none: passwords and mail cross the network in the clear"));
            }

            lines.Add(("pipelining", Capabilities.Pipelining ? "yes" : "no"));
            lines.Add(("login methods", Methods.Count == 0 ? "(none announced)" : string.Join(' ', Methods)));
            lines.Add(("capabilities", Capabilities.Known ? string.Join(", ", Capabilities.Lines.Select(Terminal.Clean)) : "(no CAPA)"));
            var width = lines.Max(l => l.Item1.Length) + 2;
            return string.Concat(lines.Select(l => l.Item1.PadRight(width) + l.Item2 + "\n"));
        }

        public void WriteJson(Stream output)
        {
            using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("host", Spec.Host);
            json.WriteNumber("port", Spec.Port);
            json.WriteString("security", Security);
            json.WriteString("greeting", Greeting.Text);
            json.WriteString("apopTimestamp", Greeting.ApopTimestamp);
            if (Tls is null)
            {
                json.WriteNull("tls");
            }
            else
            {
                json.WriteStartObject("tls");
                json.WriteString("protocol", Protocol(Tls));
                json.WriteString("cipherSuite", Tls.CipherSuite.ToString());
                json.WriteString("serverName", Tls.TargetHost);
                json.WriteString("subject", Tls.Subject);
                json.WriteString("issuer", Tls.Issuer);
                json.WriteString("notBefore", Tls.NotBefore);
                json.WriteString("notAfter", Tls.NotAfter);
                json.WriteString("sha256", CertificateFingerprint.Format(Tls.Sha256Fingerprint));
                json.WriteBoolean("trusted", Trusted);
                json.WriteString("policyErrors", Tls.PolicyErrors.ToString());
                json.WriteEndObject();
            }

            json.WriteBoolean("capaSupported", Capabilities.Known);
            json.WriteStartArray("capabilities");
            foreach (var line in Capabilities.Lines)
            {
                json.WriteStringValue(line);
            }

            json.WriteEndArray();
            json.WriteBoolean("pipelining", Capabilities.Pipelining);
            json.WriteStartArray("loginMethods");
            foreach (var method in Methods)
            {
                json.WriteStringValue(method);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        private string Security => Spec.Security switch
        {
            ConnectionSecurity.Tls => "ssl",
            ConnectionSecurity.StartTls => "starttls",
            _ => "tcp",
        };

        private static string Protocol(TlsDetails tls) => tls.Protocol switch
        {
            System.Security.Authentication.SslProtocols.Tls13 => "TLSv1.3",
            System.Security.Authentication.SslProtocols.Tls12 => "TLSv1.2",
            var other => other.ToString(),
        };

        private static string Date(DateTimeOffset date) => date.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

        private static string Expiry(DateTimeOffset notAfter)
        {
            var left = notAfter - DateTimeOffset.UtcNow;
            return left < TimeSpan.Zero ? "EXPIRED" : $"expires in {(int)left.TotalDays} days";
        }
    }
}
