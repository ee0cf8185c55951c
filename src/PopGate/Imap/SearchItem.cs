using System.Globalization;

namespace PopGate.Imap;

/// <summary>UID SEARCH: collects the UIDs of the "* SEARCH" responses.</summary>
public sealed class SearchItem : BatchItem
{
    private readonly List<uint> _uids = [];

    internal SearchItem(ImapCommand command)
        : base(command)
    {
    }

    public IReadOnlyList<uint> Uids => _uids;

    public override void OnUntagged(ImapResponse response)
    {
        if (response is not ImapDataResponse { Name: "SEARCH" } search)
        {
            return;
        }

        foreach (var word in search.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!uint.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                throw new ImapProtocolException($"not a UID in a SEARCH response: {word}");
            }

            _uids.Add(uid);
        }
    }
}
