using PopGate.Protocol;

namespace PopGate.Stores.Merge;

/// <summary>One part of a merged maildrop: a store and the name that prefixes its UIDLs.</summary>
public sealed record MergePart(string Name, IMailStore Store);

/// <summary>
/// Several stores shown as one maildrop. UIDLs are prefixed with the part's name, so they stay unique and stable;
/// deletions go back to the store each message came from. By default one unavailable part refuses the login with
/// [SYS/TEMP] rather than showing a partial listing that a client could take for the whole.
/// </summary>
public sealed class MergeStore : IMailStore
{
    private readonly IReadOnlyList<MergePart> _parts;
    private readonly bool _serveAvailable;

    /// <param name="parts">The stores, in the order their messages are listed.</param>
    /// <param name="serveAvailable">Serve the parts that open when others fail, instead of refusing the login.</param>
    public MergeStore(IReadOnlyList<MergePart> parts, bool serveAvailable = false)
    {
        if (parts.Count == 0)
        {
            throw new ArgumentException("a merged store needs at least one part", nameof(parts));
        }

        if (parts.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != parts.Count)
        {
            throw new ArgumentException("the parts of a merged store need different names", nameof(parts));
        }

        _parts = parts;
        _serveAvailable = serveAvailable;
    }

    public async ValueTask<IMaildrop> OpenAsync(MaildropRequest request, CancellationToken cancellationToken)
    {
        var opening = _parts.Select(p => OpenPartAsync(p, request, cancellationToken)).ToList();
        var results = await Task.WhenAll(opening).ConfigureAwait(false);
        var opened = results.Where(r => r.Maildrop is not null).Select(r => (r.Part.Name, r.Maildrop!)).ToList();
        var failures = results.Where(r => r.Error is not null).Select(r => (r.Part, Error: r.Error!)).ToList();
        if (failures.Count == 0 || (_serveAvailable && opened.Count > 0 && failures.All(f => f.Error.Code != ResponseCodes.Auth)))
        {
            return new MergedMaildrop(opened);
        }

        foreach (var (_, maildrop) in opened)
        {
            await maildrop.DisposeAsync().ConfigureAwait(false);
        }

        // The most telling reason wins: a refused password, then a locked part, then the first failure.
        var first = failures.FirstOrDefault(f => f.Error.Code == ResponseCodes.Auth).Error
            ?? failures.FirstOrDefault(f => f.Error.Code == ResponseCodes.InUse).Error
            ?? failures[0].Error;
        var code = first.Code is ResponseCodes.Auth or ResponseCodes.InUse ? first.Code : ResponseCodes.SysTemp;
        var names = string.Join(", ", failures.Select(f => f.Part.Name));
        throw new MaildropException(code, $"merged maildrop unavailable ({names}: {first.Message})", first);
    }

    private static async Task<(MergePart Part, IMaildrop? Maildrop, MaildropException? Error)> OpenPartAsync(MergePart part, MaildropRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return (part, await part.Store.OpenAsync(request, cancellationToken).ConfigureAwait(false), null);
        }
        catch (MaildropException e)
        {
            return (part, null, e);
        }
    }
}
