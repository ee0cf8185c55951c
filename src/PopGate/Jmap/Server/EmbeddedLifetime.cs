using Microsoft.Extensions.Hosting;

namespace PopGate.Jmap.Server;

/// <summary>
/// A host lifetime that leaves process signals alone: the server is embedded, so whoever owns the process decides
/// when it stops (the default console lifetime would take SIGTERM and SIGINT for itself).
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
