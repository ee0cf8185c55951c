using PopGate.Client;

namespace PopGate.Tests.Client;

/// <summary>A client connected to a <see cref="ScriptedServer"/> over a <see cref="MemoryConnection"/>.</summary>
internal sealed class Replay : IAsyncDisposable
{
    private readonly Task _serverRun;

    private Replay(Pop3Client client, ScriptedServer server, Task serverRun)
    {
        Client = client;
        Server = server;
        _serverRun = serverRun;
    }

    public Pop3Client Client { get; }

    public ScriptedServer Server { get; }

    public static async Task<Replay> StartAsync(byte[] greeting, IEnumerable<ScriptStep> steps, int maxRead = int.MaxValue, Pop3ClientOptions? options = null)
    {
        var connection = new MemoryConnection(maxRead);
        var server = new ScriptedServer(greeting, steps);
        var run = server.Run(connection);
        var client = new Pop3Client(options ?? new Pop3ClientOptions { AllowCleartextPasswords = true });
        await client.ConnectAsync(connection.ClientStream);
        return new Replay(client, server, run);
    }

    /// <summary>Ends the session and checks the server saw exactly the commands it expected.</summary>
    public async Task FinishAsync()
    {
        await Client.DisposeAsync();
        await _serverRun.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(Server.Mismatch);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
    }

    /// <summary>Read sizes for the client: whole chunks, a few bytes, one byte at a time.</summary>
    public static TheoryData<bool, int> Modes()
    {
        var data = new TheoryData<bool, int>();
        foreach (var crlf in new[] { true, false })
        {
            foreach (var maxRead in new[] { int.MaxValue, 7, 1 })
            {
                data.Add(crlf, maxRead);
            }
        }

        return data;
    }
}
