using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using PopGate.Auth;
using PopGate.Configuration;
using PopGate.Server;
using PopGate.Stores.Maildir;
using PopGate.Stores.Mbox;

namespace PopGate.Cli.Serve;

/// <summary>Reads configuration and flags, starts the server, and stops it gracefully on SIGINT or SIGTERM.</summary>
internal static class ServeRunner
{
    public static async Task<int> RunAsync(ServeArguments arguments, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = BuildConfiguration(arguments.ConfigFile, out var lines);
            var settings = ServeSettingsReader.Read(configuration, lines, new StoreFactory());
            DemoSetup? demo = null;
            if (arguments.IsDemo)
            {
                demo = await DemoSetup.EnsureAsync(DataFolder.Resolve(arguments.DataFolder), cancellationToken).ConfigureAwait(false);
                settings = settings with
                {
                    Listen = [DemoSetup.PlainEndPoint],
                    TlsListen = [DemoSetup.TlsEndPoint],
                    UsersFile = demo.UsersFile,
                    DefaultStore = new MaildirStore(demo.Maildir),
                    CertificatePath = demo.CertificatePath,
                    KeyPath = demo.KeyPath,
                };
            }

            settings = ApplyFlags(settings, arguments);
            using var loggers = LoggerFactory.Create(builder => builder
                .AddConfiguration(configuration.GetSection("Logging"))
                .SetMinimumLevel(LogLevel.Information)
                .AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
                }));
            var logger = loggers.CreateLogger("PopGate");
            var accounts = UsersFileAccounts.Create(settings, logger);
            var certificate = settings.CertificatePath is null ? null : CertificateFiles.Load(settings.CertificatePath, settings.KeyPath!);
            var listeners = settings.Listen.Select(e => new ListenerOptions(e))
                .Concat(settings.TlsListen.Select(e => new ListenerOptions(e, ImplicitTls: true)))
                .ToList();
            if (listeners.Count == 0)
            {
                listeners.Add(new ListenerOptions(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 110)));
            }

            var server = new Pop3Server(settings.Server with { Listeners = listeners, Certificate = certificate }, accounts, loggers.CreateLogger<Pop3Server>());
            await using (server.ConfigureAwait(false))
            {
                var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
                using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
                await server.StartAsync(cancellationToken).ConfigureAwait(false);
                demo?.PrintHowToConnect(Console.Out);
                await stop.Task.ConfigureAwait(false);
                logger.LogInformation("Stopping: sessions that are deleting messages may finish");
                await server.StopAsync().ConfigureAwait(false);
                return 0;

                void Stop(PosixSignalContext context)
                {
                    context.Cancel = true;
                    stop.TrySetResult();
                }
            }
        }
        catch (ConfigException e)
        {
            return Fail($"configuration error: {e.Message}", 2);
        }
        catch (PasswdFileException e)
        {
            return Fail($"users file error: {e.Message}", 2);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied or SocketError.AddressNotAvailable)
        {
            return Fail($"cannot listen: {e.Message}", 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            return Fail(e.Message, 1);
        }
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"popgate serve: {message}");
        return code;
    }

    private static IConfiguration BuildConfiguration(string? file, out JsonLineIndex? lines)
    {
        var builder = new ConfigurationBuilder();
        lines = null;
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                throw new ConfigException("--config", $"file not found: {file}");
            }

            lines = JsonLineIndex.Load(file);
            builder.AddJsonFile(file, optional: false, reloadOnChange: false);
        }

        // A double underscore after the prefix keeps POPGATE_DATA and the like out of the configuration.
        builder.AddEnvironmentVariables("POPGATE__");
        return builder.Build();
    }

    private static ServeSettings ApplyFlags(ServeSettings settings, ServeArguments arguments)
    {
        if (arguments.Maildir is not null && arguments.Mbox is not null)
        {
            throw new ConfigException("--maildir", "give either --maildir or --mbox, not both");
        }

        if (arguments.Listen.Count > 0)
        {
            settings = settings with { Listen = arguments.Listen.Select(l => ParseEndPoint("--listen", l)).ToList() };
        }

        if (arguments.TlsListen.Count > 0)
        {
            settings = settings with { TlsListen = arguments.TlsListen.Select(l => ParseEndPoint("--tls-listen", l)).ToList() };
        }

        if (arguments.Maildir is not null)
        {
            settings = settings with { DefaultStore = new MaildirStore(Path.GetFullPath(arguments.Maildir)) };
        }

        if (arguments.Mbox is not null)
        {
            settings = settings with { DefaultStore = new MboxStore(Path.GetFullPath(arguments.Mbox)) };
        }

        if (arguments.UsersFile is not null)
        {
            settings = settings with { UsersFile = Path.GetFullPath(arguments.UsersFile) };
        }

        if ((arguments.Certificate is null) != (arguments.Key is null))
        {
            throw new ConfigException("--cert", "--cert and --key go together");
        }

        if (arguments.Certificate is not null)
        {
            settings = settings with { CertificatePath = Path.GetFullPath(arguments.Certificate), KeyPath = Path.GetFullPath(arguments.Key!) };
        }

        if (settings.TlsListen.Count > 0 && settings.CertificatePath is null)
        {
            throw new ConfigException("--tls-listen", "implicit-TLS listeners need --cert and --key (or Tls in the configuration)");
        }

        return settings;
    }

    private static System.Net.IPEndPoint ParseEndPoint(string flag, string text) =>
        EndPointParser.TryParse(text, out var endPoint) ? endPoint : throw new ConfigException(flag, $"'{text}' is not ADDRESS:PORT");
}
