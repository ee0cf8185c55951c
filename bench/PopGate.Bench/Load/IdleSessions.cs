using System.Net;

namespace PopGate.Bench.Load;

/// <summary>Many authenticated sessions held open and doing nothing, one per account.</summary>
public sealed class IdleSessions : IAsyncDisposable
{
    private static readonly byte[] Noop = "NOOP\r\n"u8.ToArray();
    private static readonly byte[] Quit = "QUIT\r\n"u8.ToArray();
    private readonly List<Pop3Wire> _open;

    private IdleSessions(List<Pop3Wire> open) => _open = open;

    public int Count => _open.Count;

    /// <summary>Logs every account in (USER/PASS), <paramref name="parallel"/> logins at a time; all must succeed.</summary>
    public static async Task<IdleSessions> OpenAsync(IPEndPoint server, IReadOnlyList<LoginCommands> accounts, int parallel, CancellationToken cancellationToken)
    {
        var open = new Pop3Wire?[accounts.Count];
        try
        {
            await Parallel.ForAsync(0, accounts.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                open[i] = await Pop3Wire.LoginAsync(server, accounts[i], 512, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        catch
        {
            foreach (var wire in open.OfType<Pop3Wire>())
            {
                await wire.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        return new IdleSessions(open.OfType<Pop3Wire>().ToList());
    }

    /// <summary>Sends NOOP on every session; returns how many answered +OK.</summary>
    public async Task<int> CountAliveAsync(CancellationToken cancellationToken)
    {
        var alive = 0;
        await Parallel.ForEachAsync(_open, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (wire, ct) =>
        {
            try
            {
                await wire.ExpectOkAsync(Noop, ct).ConfigureAwait(false);
                Interlocked.Increment(ref alive);
            }
            catch (Exception e) when (e is LoadException or IOException or System.Net.Sockets.SocketException)
            {
            }
        }).ConfigureAwait(false);
        return alive;
    }

    /// <summary>Ends every session with QUIT (errors ignored: the connection closes anyway).</summary>
    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(_open, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (wire, _) =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await wire.ExpectOkAsync(Quit, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is LoadException or IOException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
            }
            finally
            {
                await wire.DisposeAsync().ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        _open.Clear();
    }
}
