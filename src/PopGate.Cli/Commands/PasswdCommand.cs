using System.CommandLine;
using PopGate.Auth;

namespace PopGate.Cli.Commands;

/// <summary>`popgate passwd USER`: adds or replaces a user's line in a users file, with a salted PBKDF2-SHA256 hash.</summary>
internal static class PasswdCommand
{
    public static Command Create()
    {
        var user = new Argument<string>("user") { Description = "the user name (UTF-8 allowed; no ':')" };
        var users = new Option<string>("--users") { Description = "users file to update (created when missing)", DefaultValueFactory = _ => "users" };
        var command = new Command("passwd", "Set a user's password in a users file; the password is read from standard input (first line).")
        {
            user, users,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var name = result.GetValue(user)!;
            var path = result.GetValue(users)!;
            if (name.Length == 0 || name.Contains(':', StringComparison.Ordinal) || name.Any(char.IsControl))
            {
                await Console.Error.WriteLineAsync("popgate passwd: a user name must not be empty or contain ':' or control characters").ConfigureAwait(false);
                return 2;
            }

            if (!Console.IsInputRedirected)
            {
                await Console.Error.WriteAsync($"Password for {name}: ").ConfigureAwait(false);
            }

            var password = await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(password))
            {
                await Console.Error.WriteLineAsync("popgate passwd: no password given on standard input").ConfigureAwait(false);
                return 2;
            }

            try
            {
                await UserDatabase.SetPasswordAsync(Path.GetFullPath(path), name, password, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or PasswdFileException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"popgate passwd: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            await Console.Out.WriteLineAsync($"{name}: password set in {Path.GetFullPath(path)}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
