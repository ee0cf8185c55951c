using System.CommandLine;
using PopGate.Cli.Serve;

namespace PopGate.Cli.Commands;

/// <summary>`popgate serve`: the POP3 server and gateway.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config", "-c") { Description = "JSON configuration file" };
        var listen = new Option<string[]>("--listen") { Description = "plain POP3 listener ADDR:PORT (STLS when a certificate is set); repeatable", AllowMultipleArgumentsPerToken = false };
        var tlsListen = new Option<string[]>("--tls-listen") { Description = "implicit-TLS listener ADDR:PORT; repeatable" };
        var maildir = new Option<string?>("--maildir") { Description = "serve this Maildir (may contain %u) to every user of --users" };
        var mbox = new Option<string?>("--mbox") { Description = "serve this mbox file (may contain %u) to every user of --users" };
        var users = new Option<string?>("--users") { Description = "users file (Dovecot passwd-file format; see `popgate passwd`)" };
        var cert = new Option<string?>("--cert") { Description = "TLS certificate (PEM)" };
        var key = new Option<string?>("--key") { Description = "TLS private key (PEM)" };
        var dataDir = new Option<string?>("--data-dir") { Description = "folder for the demo's files (default $POPGATE_DATA or ~/.local/share/popgate)" };
        var command = new Command("serve", "Run the POP3 server. Without a configuration or store it serves a demo maildrop on 127.0.0.1:1110 and :1995.")
        {
            config, listen, tlsListen, maildir, mbox, users, cert, key, dataDir,
        };
        command.SetAction((result, cancellationToken) => ServeRunner.RunAsync(
            new ServeArguments(
                result.GetValue(config)?.FullName,
                result.GetValue(listen) ?? [],
                result.GetValue(tlsListen) ?? [],
                result.GetValue(maildir),
                result.GetValue(mbox),
                result.GetValue(users),
                result.GetValue(cert),
                result.GetValue(key),
                result.GetValue(dataDir)),
            cancellationToken));
        return command;
    }
}
