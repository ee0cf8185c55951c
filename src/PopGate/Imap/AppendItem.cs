using System.Globalization;

namespace PopGate.Imap;

/// <summary>APPEND of one or more messages (MULTIAPPEND); reads APPENDUID when the server has UIDPLUS.</summary>
public sealed class AppendItem : BatchItem
{
    internal AppendItem(ImapCommand command, int count)
        : base(command) => Count = count;

    /// <summary>How many messages the command carries.</summary>
    public int Count { get; }

    /// <summary>UIDVALIDITY of the target mailbox from APPENDUID, or null.</summary>
    public uint? UidValidity { get; private set; }

    /// <summary>The new messages' UIDs from APPENDUID, or empty.</summary>
    public IReadOnlyList<uint> Uids { get; private set; } = [];

    protected override void OnCompleted(ImapStatusResponse status)
    {
        if (status.Status != ImapStatus.Ok || status.Code != "APPENDUID" || status.CodeArguments is null)
        {
            return;
        }

        var parts = status.CodeArguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var validity))
        {
            return;
        }

        UidValidity = validity;
        var uids = new List<uint>();
        foreach (var range in parts[1].Split(','))
        {
            var bounds = range.Split(':');
            if (!uint.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                return;
            }

            var last = first;
            if (bounds.Length == 2 && !uint.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out last))
            {
                return;
            }

            for (var uid = Math.Min(first, last); uid <= Math.Max(first, last) && uids.Count <= Count; uid++)
            {
                uids.Add(uid);
            }
        }

        Uids = uids;
    }
}
