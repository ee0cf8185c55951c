using PopGate.Stores.Imap;

namespace PopGate.Tests.Imap;

/// <summary>The grouping of the final-newline check: every message's last two octets fall inside its group's partial.</summary>
public sealed class TailGroupsTests
{
    [Fact]
    public void Every_message_ends_inside_its_groups_partial_and_groups_stay_small()
    {
        var random = new Random(5);
        var messages = Enumerable.Range(1, 5000)
            .Select(i => new ImapMessage(0, (uint)i, (long)Math.Exp(random.NextDouble() * 15)))
            .ToList();

        var groups = ImapListing.TailGroups(messages).ToList();

        Assert.Equal(messages.Select(m => m.Uid).Order(), groups.SelectMany(g => g.Messages).Select(m => m.Uid).Order());
        Assert.All(groups, g => Assert.All(g.Messages, m =>
        {
            // The server cuts the partial at the message's end: the answer ends with the message's final octets.
            Assert.True(g.Start <= Math.Max(0, m.ImapSize - 2), $"{m.ImapSize} starts before {g.Start}");
            Assert.True(g.Start + g.Length >= m.ImapSize, $"{m.ImapSize} ends after {g.Start + g.Length}");
        }));
        Assert.All(groups, g => Assert.InRange(g.Length, 0, (32 * 1024) + 2));
        Assert.True(groups.Count < messages.Count / 5, $"{groups.Count} groups for {messages.Count} messages");
    }

    [Fact]
    public void Messages_of_one_size_share_one_group()
    {
        var messages = Enumerable.Range(1, 30).Select(i => new ImapMessage(0, (uint)i, 4321)).ToList();

        var group = Assert.Single(ImapListing.TailGroups(messages));

        Assert.Equal(4319, group.Start);
        Assert.Equal(2, group.Length);
    }
}
