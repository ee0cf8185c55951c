using System.Diagnostics;

namespace PopGate.Bench.Measure;

/// <summary>CPU used during an interval by the load client (this process) and by the server's process tree.</summary>
/// <param name="Seconds">Wall-clock length of the interval.</param>
/// <param name="ClientCpu">CPU seconds of the load client.</param>
/// <param name="ServerCpu">CPU seconds of the server tree.</param>
/// <param name="ClientKernelCpu">The part of <paramref name="ClientCpu"/> spent in the kernel (the TCP stack on loopback).</param>
public sealed record CpuUse(double Seconds, double ClientCpu, double ServerCpu, double ClientKernelCpu)
{
    /// <summary>The client's CPU as a share of one core (1.0 = one core busy all the time).</summary>
    public double ClientCores => ClientCpu / Seconds;

    public double ServerCores => ServerCpu / Seconds;
}

/// <summary>Takes the readings at the start of an interval; <see cref="Stop"/> gives the use since.</summary>
public sealed class CpuMeter
{
    private readonly int _serverRoot;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _client0;
    private readonly TimeSpan _clientKernel0;
    private readonly double _server0;

    private CpuMeter(int serverRoot)
    {
        _serverRoot = serverRoot;
        using var self = Process.GetCurrentProcess();
        _client0 = self.TotalProcessorTime;
        _clientKernel0 = self.PrivilegedProcessorTime;
        _server0 = ProcessTree.CpuSeconds(serverRoot);
        _clock.Restart();
    }

    public static CpuMeter Start(int serverRoot) => new(serverRoot);

    public CpuUse Stop()
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        var client = (self.TotalProcessorTime - _client0).TotalSeconds;
        var kernel = (self.PrivilegedProcessorTime - _clientKernel0).TotalSeconds;
        var server = ProcessTree.CpuSeconds(_serverRoot) - _server0;
        return new CpuUse(seconds, client, server, kernel);
    }
}
