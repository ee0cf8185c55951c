using System.Text;
using PopGate.Fetch;
using PopGate.Testing;

namespace PopGate.Tests.Fetch;

/// <summary>MDA delivery through /bin/sh: exit 0 is delivered, anything else is not, with the command's own words.</summary>
public sealed class CommandDeliveryTests
{
    private static readonly Func<PendingAppend, ValueTask> NoJournal = _ => ValueTask.CompletedTask;

    [Fact]
    public async Task The_message_goes_to_standard_input_with_lf_line_ends_and_its_uidl_in_the_environment()
    {
        using var dir = new TempDir("mda");
        var output = Path.Combine(dir.Path, "out");
        var delivery = new CommandDelivery($"cat > '{output}'; printf '%s' \"$POPGATE_UIDL\" > '{output}.uid'", LineEnds.Lf);
        var written = await delivery.DeliverAsync(new FetchedMessage(1, "the-uid", 20, null), Bodies.Split("A: b\r\n\r\nc\r\n"u8.ToArray(), 3), NoJournal, CancellationToken.None);
        Assert.Equal("A: b\n\nc\n", await File.ReadAllTextAsync(output));
        Assert.Equal("the-uid", await File.ReadAllTextAsync(output + ".uid"));
        Assert.Equal(8, written);
    }

    [Theory]
    [InlineData("cat > /dev/null; echo 'mailbox full' >&2; exit 75", 75, "mailbox full")]
    [InlineData("exit 1", 1, null)]
    public async Task A_non_zero_exit_is_a_failure_naming_the_status_and_the_last_error_line(string command, int status, string? said)
    {
        var delivery = new CommandDelivery(command, LineEnds.Lf);
        var error = await Assert.ThrowsAsync<DeliveryException>(async () =>
            await delivery.DeliverAsync(new FetchedMessage(1, "u", 20, null), Bodies.Split("A: b\r\n\r\nc\r\n"u8.ToArray()), NoJournal, CancellationToken.None));
        Assert.Contains($"exited with status {status}", error.Message, StringComparison.Ordinal);
        if (said is not null)
        {
            Assert.EndsWith(said, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_command_that_stops_reading_early_has_not_delivered()
    {
        var big = Encoding.ASCII.GetBytes("A: b\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('z', 1000) + "\r\n", 2000)));
        var delivery = new CommandDelivery("head -c 10 > /dev/null", LineEnds.Lf);
        await Assert.ThrowsAsync<DeliveryException>(async () =>
            await delivery.DeliverAsync(new FetchedMessage(1, "u", big.Length, null), Bodies.Split(big), NoJournal, CancellationToken.None));
    }
}
