using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace PopGate.Testing;

/// <summary>`popgate serve --config` as a process, with a configuration object written as JSON and a free port.</summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private GatewayProcess(TempDir dir, Process process, int port)
    {
        _dir = dir;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server process (it starts no others).</summary>
    public int ProcessId => _process.Id;

    public string Folder => _dir.Path;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server with <paramref name="configure"/>'s configuration; it gets the folder and the port to listen on.</summary>
    /// <param name="program">A native `popgate` to run instead of the built one.</param>
    public static async Task<GatewayProcess> StartAsync(Func<string, int, object> configure, string? program = null)
    {
        var dir = new TempDir("popgate-gateway");
        var port = FreePort.Next();
        var configFile = Path.Combine(dir.Path, "popgate.json");
        await File.WriteAllTextAsync(configFile, JsonSerializer.Serialize(configure(dir.Path, port)));
        var (file, prefix) = PopGateServer.Command(program);
        var process = Process.Start(ProcessRunner.StartInfo(file, [.. prefix, "serve", "--config", configFile]))
            ?? throw new InvalidOperationException("cannot start popgate");
        var gateway = new GatewayProcess(dir, process, port);
        process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await FreePort.WaitListeningAsync(port, TimeSpan.FromSeconds(30), () => !process.HasExited);
            if (process.HasExited)
            {
                throw new InvalidOperationException($"popgate serve exited with {process.ExitCode}:\n{gateway.Output}");
            }
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        return gateway;
    }

    /// <summary>A users file in the gateway's folder with {PLAIN} users (name, password).</summary>
    public static string WriteUsers(string folder, params (string User, string Password)[] users)
    {
        var path = Path.Combine(folder, "users");
        File.WriteAllText(path, string.Concat(users.Select(u => $"{u.User}:{{PLAIN}}{u.Password}\n")));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _dir.Dispose();
    }
}
