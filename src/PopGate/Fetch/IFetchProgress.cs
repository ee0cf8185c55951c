namespace PopGate.Fetch;

/// <summary>Hears what a fetch run is doing; calls may come from several threads. Implementations must be quick.</summary>
public interface IFetchProgress
{
    /// <summary>The listing is read: this many messages and octets are to be fetched.</summary>
    void Planned(string account, int messages, long bytes);

    /// <summary>One message was delivered (<paramref name="octets"/> as written), or skipped with a reason when dry.</summary>
    void Delivered(string account, FetchedMessage message, long octets);

    /// <summary>One message was not handled; <paramref name="problem"/> is one line.</summary>
    void Failed(string account, FetchedMessage message, string problem);

    /// <summary>A line of information (a dry run's plan, a repaired mbox).</summary>
    void Note(string account, string text);
}
