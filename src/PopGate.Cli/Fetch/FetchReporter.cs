using System.Collections.Concurrent;
using System.Globalization;
using PopGate.Cli.Commands;
using PopGate.Fetch;

namespace PopGate.Cli.Fetch;

/// <summary>How progress is shown.</summary>
internal enum ProgressMode
{
    /// <summary>Failures only.</summary>
    Quiet,

    /// <summary>Plain lines: the plan, a status line every few seconds, the summary (for logs and pipes).</summary>
    Lines,

    /// <summary>A live progress bar per account (a terminal).</summary>
    Bar,
}

/// <summary>
/// Receives a run's events for every account. Failures go to standard error as one line each, whatever the mode;
/// notes and status lines to standard output unless quiet.
/// </summary>
internal sealed class FetchReporter : IFetchProgress
{
    private readonly ConcurrentDictionary<string, AccountProgress> _accounts = new(StringComparer.Ordinal);
    private readonly Lock _output = new();

    public FetchReporter(ProgressMode mode, bool prefixNames)
    {
        Mode = mode;
        PrefixNames = prefixNames;
    }

    public ProgressMode Mode { get; }

    public bool PrefixNames { get; }

    public AccountProgress Account(string name) => _accounts.GetOrAdd(name, n => new AccountProgress(n));

    public IEnumerable<AccountProgress> Accounts => _accounts.Values.OrderBy(a => a.Name, StringComparer.Ordinal);

    public void Planned(string account, int messages, long bytes)
    {
        Account(account).Plan(messages, bytes);
        if (Mode == ProgressMode.Lines)
        {
            Out(account, $"{messages} messages to fetch, {ByteSize.Format(bytes)}");
        }
    }

    // Counted by LIST size, as the plan is, so a finished bar reads 100% whatever the line ends became.
    public void Delivered(string account, FetchedMessage message, long octets) => Account(account).Add(message.Size);

    public void Failed(string account, FetchedMessage message, string problem) =>
        Error($"popgate fetch: {Prefix(account)}{message}: {Terminal.Clean(problem)}");

    public void Note(string account, string text)
    {
        if (Mode != ProgressMode.Quiet)
        {
            Out(account, Terminal.Clean(text));
        }
    }

    /// <summary>A status line per account still running (line mode).</summary>
    public void Status(Func<string, bool> running, TimeSpan elapsed)
    {
        foreach (var account in Accounts.Where(a => a.IsPlanned && running(a.Name)))
        {
            var rate = elapsed.TotalSeconds > 0 ? account.Bytes / elapsed.TotalSeconds : 0;
            Out(account.Name, string.Create(CultureInfo.InvariantCulture,
                $"{account.Messages}/{account.PlannedMessages} messages, {ByteSize.Format(account.Bytes)} of {ByteSize.Format(account.PlannedBytes)}, {ByteSize.Format(rate)}/s"));
        }
    }

    public void Summary(FetchSummary summary)
    {
        if (Mode == ProgressMode.Quiet)
        {
            return;
        }

        var seconds = summary.Elapsed.TotalSeconds;
        var left = summary.Left > 0 ? $", left {summary.Left}" : string.Empty;
        Out(summary.Account, string.Create(CultureInfo.InvariantCulture,
            $"fetched {summary.Fetched}, skipped {summary.Skipped}, deleted {summary.Deleted}, failed {summary.Failed}{left}, {ByteSize.Format(summary.Bytes)} in {seconds:0.00} s"));
    }

    public void Error(string line)
    {
        lock (_output)
        {
            Console.Error.WriteLine(line);
        }
    }

    private string Prefix(string account) => PrefixNames ? account + ": " : string.Empty;

    private void Out(string account, string text)
    {
        lock (_output)
        {
            Console.Out.WriteLine(Prefix(account) + text);
        }
    }
}
