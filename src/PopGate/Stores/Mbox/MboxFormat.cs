namespace PopGate.Stores.Mbox;

/// <summary>How "From " lines inside messages were quoted when the mbox was written.</summary>
public enum MboxFormat
{
    /// <summary>mboxrd: any line of '>'s then "From " lost one '>' when quoted, so one is removed on reading.</summary>
    Mboxrd,

    /// <summary>mboxo: only ">From " is unquoted; deeper quoting is left as it is (it cannot be told apart).</summary>
    Mboxo,
}
