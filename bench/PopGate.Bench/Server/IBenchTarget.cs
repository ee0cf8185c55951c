using System.Net;

namespace PopGate.Bench.Server;

/// <summary>A running POP3 server under test.</summary>
public interface IBenchTarget : IAsyncDisposable
{
    string Name { get; }

    IPEndPoint EndPoint { get; }

    /// <summary>The root of the server's process tree, whose memory and CPU are measured.</summary>
    int RootPid { get; }
}
