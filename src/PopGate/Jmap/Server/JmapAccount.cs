using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace PopGate.Jmap.Server;

/// <summary>
/// What the server keeps about one user between requests: header summaries, and the history of Email states
/// (each the hash of the set of message ids) that Email/changes answers from.
/// </summary>
internal sealed partial class JmapAccount
{
    private const int HistoryLimit = 1000;
    private readonly List<StateChange> _history = [];
    private readonly Lock _sync = new();
    private string? _lastState;
    private HashSet<string> _lastIds = new(StringComparer.Ordinal);

    public JmapAccount(string user)
    {
        User = user;
        AccountId = IdChars().IsMatch(user) && user.Length <= 64 ? user : SummaryReader.IdFor('A', user);
    }

    public string User { get; }

    /// <summary>The user name when it is a valid JMAP Id, else an Id derived from it.</summary>
    public string AccountId { get; }

    /// <summary>One request at a time per account: each holds the user's maildrop lock while it runs.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Header summaries by UIDL.</summary>
    public ConcurrentDictionary<string, EmailSummary> Summaries { get; } = new(StringComparer.Ordinal);

    /// <summary>Records the state seen now, and what changed since the state seen before.</summary>
    public void Observe(string state, IEnumerable<string> ids)
    {
        lock (_sync)
        {
            if (state == _lastState)
            {
                return;
            }

            var now = new HashSet<string>(ids, StringComparer.Ordinal);
            if (_lastState is not null)
            {
                _history.Add(new StateChange(_lastState, state, now.Except(_lastIds).ToArray(), _lastIds.Except(now).ToArray()));
                if (_history.Count > HistoryLimit)
                {
                    _history.RemoveRange(0, _history.Count - HistoryLimit);
                }
            }

            _lastState = state;
            _lastIds = now;
        }
    }

    /// <summary>The changes from <paramref name="since"/> on, at most <paramref name="max"/> ids; null when unknown, or
    /// when the first step from it is larger than that.</summary>
    public EmailChanges? ChangesSince(string since, string current, int max)
    {
        lock (_sync)
        {
            if (since == current)
            {
                return new EmailChanges(current, false, [], [], []);
            }

            var start = _history.FindLastIndex(c => c.From == since);
            if (start < 0)
            {
                return null;
            }

            var created = new HashSet<string>(StringComparer.Ordinal);
            var updated = new HashSet<string>(StringComparer.Ordinal);
            var destroyed = new HashSet<string>(StringComparer.Ordinal);
            var reached = since;
            for (var i = start; i < _history.Count; i++)
            {
                var change = _history[i];
                if (created.Count + updated.Count + destroyed.Count + change.Created.Length + change.Destroyed.Length > max)
                {
                    // RFC 8620 5.2: never more ids than maxChanges. One recorded change is the smallest step there is:
                    // when it alone is larger, no intermediate state can be given.
                    return i > start ? new EmailChanges(reached, true, [.. created], [.. updated], [.. destroyed]) : null;
                }

                foreach (var id in change.Created)
                {
                    // The same content back again has the same id: to a client that saw it go, it changed.
                    if (destroyed.Remove(id))
                    {
                        updated.Add(id);
                    }
                    else
                    {
                        created.Add(id);
                    }
                }

                foreach (var id in change.Destroyed)
                {
                    updated.Remove(id);
                    if (!created.Remove(id))
                    {
                        destroyed.Add(id);
                    }
                }

                reached = change.To;
            }

            return new EmailChanges(reached, false, [.. created], [.. updated], [.. destroyed]);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex IdChars();

    private sealed record StateChange(string From, string To, string[] Created, string[] Destroyed);
}

/// <summary>What Email/changes reports.</summary>
internal sealed record EmailChanges(string NewState, bool HasMoreChanges, string[] Created, string[] Updated, string[] Destroyed);
