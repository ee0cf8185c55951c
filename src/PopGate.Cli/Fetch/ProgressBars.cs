using Spectre.Console;

namespace PopGate.Cli.Fetch;

/// <summary>A live bar per account on a terminal: messages, octets, rate and time left, refreshed ten times a second.</summary>
internal static class ProgressBars
{
    public static Task ShowAsync(FetchReporter reporter, IReadOnlyList<string> accounts, Task run) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var bars = accounts.ToDictionary(a => a, a => context.AddTask(Markup.Escape(a), autoStart: true, maxValue: 1));
                while (!run.IsCompleted)
                {
                    Update(reporter, bars);
                    await Task.WhenAny(run, Task.Delay(100)).ConfigureAwait(false);
                }

                Update(reporter, bars);
                foreach (var bar in bars.Values)
                {
                    bar.StopTask();
                }
            });

    private static void Update(FetchReporter reporter, Dictionary<string, ProgressTask> bars)
    {
        foreach (var (name, bar) in bars)
        {
            var account = reporter.Account(name);
            if (!account.IsPlanned)
            {
                continue;
            }

            bar.MaxValue = Math.Max(1, account.PlannedBytes);
            bar.Value = Math.Min(account.Bytes, bar.MaxValue);
            bar.Description = Markup.Escape($"{name} {account.Messages}/{account.PlannedMessages}");
        }
    }
}
