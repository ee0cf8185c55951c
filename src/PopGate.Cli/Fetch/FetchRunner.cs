using System.Diagnostics;
using PopGate.Cli.Commands;
using PopGate.Configuration;
using PopGate.Fetch;

namespace PopGate.Cli.Fetch;

/// <summary>Runs every account at once, shows progress, prints the summaries and picks the exit status.</summary>
internal static class FetchRunner
{
    public static async Task<int> RunAsync(IReadOnlyList<FetchAccountSettings> settings, bool dryRun, bool transcript, long windowBytes, ProgressMode mode, CancellationToken cancellationToken)
    {
        var reporter = new FetchReporter(mode, prefixNames: settings.Count > 1);
        var names = settings.Select(s => s.Name).ToList();
        var running = new HashSet<string>(names, StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var runs = settings.Select(s => RunOneAsync(s, dryRun, transcript, windowBytes, reporter, running, cancellationToken)).ToList();
        var all = Task.WhenAll(runs);

        if (mode == ProgressMode.Bar)
        {
            await ProgressBars.ShowAsync(reporter, names, all).ConfigureAwait(false);
        }
        else if (mode == ProgressMode.Lines)
        {
            while (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false) != all)
            {
                reporter.Status(name => { lock (running) { return running.Contains(name); } }, clock.Elapsed);
            }
        }

        var statuses = await all.ConfigureAwait(false);
        return statuses.FirstOrDefault(s => s != FetchExitCodes.Ok);
    }

    private static async Task<int> RunOneAsync(FetchAccountSettings settings, bool dryRun, bool transcript, long windowBytes, FetchReporter reporter, HashSet<string> running, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            FetchAccount account;
            try
            {
                account = await FetchAccountFactory.CreateAsync(settings, dryRun, transcript, windowBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                return Report(reporter, settings.Name, e);
            }

            await using (account.Delivery.ConfigureAwait(false))
            {
                var summary = await new Fetcher(account, reporter).RunAsync(cancellationToken).ConfigureAwait(false);
                // A run that never got to its listing has nothing to sum up; its one error line says it all.
                if (summary.Error is null || reporter.Account(settings.Name).IsPlanned)
                {
                    reporter.Summary(summary);
                }

                if (summary.Error is not null)
                {
                    return Report(reporter, settings.Name, summary.Error);
                }

                return summary.Complete ? FetchExitCodes.Ok : FetchExitCodes.Incomplete;
            }
        }
        finally
        {
            lock (running)
            {
                running.Remove(settings.Name);
            }
        }
    }

    private static int Report(FetchReporter reporter, string account, Exception error)
    {
        var (status, message) = error switch
        {
            FetchException or DeliveryException => (FetchExitCodes.Incomplete, error.Message),
            _ => ClientErrors.Describe(error),
        };
        var prefix = reporter.PrefixNames ? account + ": " : string.Empty;
        reporter.Error($"popgate fetch: {prefix}{Terminal.Clean(message)}");
        return status;
    }
}
