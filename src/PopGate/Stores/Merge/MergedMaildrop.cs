using PopGate.Protocol;

namespace PopGate.Stores.Merge;

/// <summary>The open parts of a merge, listed one after the other.</summary>
internal sealed class MergedMaildrop : IMaildrop, IReadAhead
{
    private readonly List<(string Name, IMaildrop Maildrop)> _parts;
    private readonly List<(int Part, int Index)> _origin = [];

    public MergedMaildrop(List<(string Name, IMaildrop Maildrop)> parts)
    {
        _parts = parts;
        var messages = new List<MessageEntry>();
        for (var p = 0; p < parts.Count; p++)
        {
            var (name, maildrop) = parts[p];
            for (var i = 0; i < maildrop.Messages.Count; i++)
            {
                var entry = maildrop.Messages[i];
                messages.Add(entry with { Uid = UidHash.ToUid(name + "-" + entry.Uid) });
                _origin.Add((p, i));
            }
        }

        Messages = messages;
    }

    public IReadOnlyList<MessageEntry> Messages { get; }

    /// <summary>Passes each part that can read ahead its own share of the queued RETRs.</summary>
    public void Upcoming(IReadOnlyList<int> indexes)
    {
        foreach (var group in indexes.Select(i => _origin[i]).GroupBy(o => o.Part))
        {
            if (_parts[group.Key].Maildrop is IReadAhead ahead)
            {
                ahead.Upcoming(group.Select(o => o.Index).ToList());
            }
        }
    }

    public ValueTask WriteMessageAsync(int index, IMessageSink sink, int? bodyLines, CancellationToken cancellationToken)
    {
        var (part, inner) = _origin[index];
        return _parts[part].Maildrop.WriteMessageAsync(inner, sink, bodyLines, cancellationToken);
    }

    public async ValueTask CommitAsync(IReadOnlyCollection<int> deleted, CancellationToken cancellationToken)
    {
        var perPart = deleted.Select(i => _origin[i]).GroupBy(o => o.Part).ToList();
        var commits = perPart.Select(async Task<(string Name, MaildropException Error)?> (group) =>
        {
            try
            {
                await _parts[group.Key].Maildrop.CommitAsync(group.Select(g => g.Index).ToList(), cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (MaildropException e)
            {
                return (_parts[group.Key].Name, e);
            }
        });
        var failures = (await Task.WhenAll(commits).ConfigureAwait(false)).Where(f => f is not null).Select(f => f!.Value).ToList();
        if (failures.Count > 0)
        {
            var detail = string.Join("; ", failures.Select(f => $"{f.Name}: {f.Error.Message}"));
            throw new MaildropException(ResponseCodes.SysTemp, $"some deletions failed ({detail})");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, maildrop) in _parts)
        {
            await maildrop.DisposeAsync().ConfigureAwait(false);
        }
    }
}
