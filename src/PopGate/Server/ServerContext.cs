using Microsoft.Extensions.Logging;
using PopGate.Auth;

namespace PopGate.Server;

/// <summary>What all sessions of one server share.</summary>
internal sealed class ServerContext
{
    public ServerContext(Pop3ServerOptions options, IAccountDirectory accounts, ILogger logger, TimeProvider time)
    {
        Options = options;
        Accounts = accounts;
        Logger = logger;
        Time = time;
        Throttle = new LoginThrottle(new LoginThrottleOptions { FirstDelay = options.AuthFailureDelay, MaxDelay = options.MaxAuthFailureDelay }, time);
        LoginDelays = new LoginDelayTracker(options.LoginDelay, time);
    }

    public Pop3ServerOptions Options { get; }
    public IAccountDirectory Accounts { get; }
    public ILogger Logger { get; }
    public TimeProvider Time { get; }
    public LoginThrottle Throttle { get; }
    public LoginDelayTracker LoginDelays { get; }
}
