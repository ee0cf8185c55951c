using System.CommandLine;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using PopGate.Auth;
using PopGate.Cli.Serve;
using PopGate.Configuration;
using PopGate.Jmap.Server;
using PopGate.Stores;
using PopGate.Stores.Maildir;
using PopGate.Stores.Mbox;

namespace PopGate.Cli.Commands;

/// <summary>`popgate jmap-serve`: a Maildir or mbox served over JMAP, for testing JMAP clients and the JMAP store.</summary>
internal static class JmapServeCommand
{
    public static Command Create()
    {
        var maildir = new Option<string?>("--maildir") { Description = "serve this Maildir (may contain %u, %n, %d)" };
        var mbox = new Option<string?>("--mbox") { Description = "serve this mbox file (may contain %u, %n, %d)" };
        var users = new Option<string>("--users") { Description = "users file (Dovecot passwd-file format; see `popgate passwd`)", Required = true };
        var listen = new Option<string>("--listen") { Description = "ADDR:PORT to listen on (port 0: any free port)", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var cert = new Option<string?>("--cert") { Description = "TLS certificate (PEM): serve https" };
        var key = new Option<string?>("--key") { Description = "TLS private key (PEM)" };
        var relative = new Option<bool>("--relative-urls") { Description = "give relative URLs in the session resource, as Cyrus does" };
        var command = new Command("jmap-serve", "Serve a Maildir or an mbox over JMAP (RFC 8620/8621): read and destroy, one mailbox per user.")
        {
            maildir, mbox, users, listen, cert, key, relative,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(maildir), result.GetValue(mbox), result.GetValue(users)!, result.GetValue(listen)!,
            result.GetValue(cert), result.GetValue(key), result.GetValue(relative), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? maildir, string? mbox, string usersFile, string listen, string? cert, string? key, bool relativeUrls, CancellationToken cancellationToken)
    {
        if ((maildir is null) == (mbox is null))
        {
            return Fail("give exactly one of --maildir and --mbox", 2);
        }

        if ((cert is null) != (key is null))
        {
            return Fail("--cert and --key go together", 2);
        }

        if (!EndPointParser.TryParse(listen, out var endpoint))
        {
            return Fail($"--listen: '{listen}' is not ADDR:PORT", 2);
        }

        try
        {
            var database = UserDatabase.Load(Path.GetFullPath(usersFile));
            foreach (var warning in database.Warnings)
            {
                Console.Error.WriteLine($"popgate jmap-serve: {warning}");
            }

            IMailStore store = maildir is not null ? new MaildirStore(maildir, create: false) : new MboxStore(mbox!);
            var options = new JmapServerOptions
            {
                Store = store,
                Authenticate = (user, password) => Verify(database, user, password),
                RelativeUrls = relativeUrls,
            };
            using var certificate = cert is null ? null : CertificateFiles.Load(cert, key!);
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var cancelled = cancellationToken.Register(() => stop.TrySetResult());
            await using var server = await JmapServer.StartAsync(options, endpoint, certificate, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine($"popgate jmap-serve: listening on {server.BaseUrl} (session discovery at {server.WellKnownUrl})");
            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            await stop.Task.ConfigureAwait(false);
            return 0;

            void Stop(PosixSignalContext context)
            {
                // Stop serving in order (requests that are destroying messages finish) rather than dying mid-write.
                context.Cancel = true;
                stop.TrySetResult();
            }
        }
        catch (PasswdFileException e)
        {
            return Fail($"users file error: {e.Message}", 2);
        }
        catch (IOException e) when (e.InnerException is SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            return Fail($"cannot listen on {listen}: {e.Message}", 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException or System.Security.Cryptography.CryptographicException)
        {
            return Fail(e.Message, 1);
        }
    }

    private static bool Verify(UserDatabase database, string user, string password)
    {
        // Edits to the users file take effect without a restart.
        database.ReloadIfChanged();
        return database.TryGet(user, out var entry) && database.VerifyPassword(entry, password);
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"popgate jmap-serve: {message}");
        return code;
    }
}
