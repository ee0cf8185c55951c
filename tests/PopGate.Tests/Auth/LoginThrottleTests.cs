using System.Net;
using PopGate.Auth;

namespace PopGate.Tests.Auth;

public class LoginThrottleTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");
    private readonly ManualTimeProvider _time = new();

    private LoginThrottle NewThrottle(LoginThrottleOptions? options = null) => new(options, _time);

    [Fact]
    public void Delays_double_after_the_free_failure_up_to_the_cap()
    {
        var throttle = NewThrottle();
        var seen = new List<double> { throttle.DelayFor(Client).TotalSeconds };
        for (var i = 0; i < 8; i++)
        {
            throttle.RecordFailure(Client);
            seen.Add(throttle.DelayFor(Client).TotalSeconds);
        }

        Assert.Equal([0, 0, 1, 2, 4, 8, 16, 16, 16], seen);
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(IPAddress.Parse("192.0.2.8")));
    }

    [Fact]
    public void Options_shape_the_sequence()
    {
        var throttle = NewThrottle(new LoginThrottleOptions { FreeFailures = 0, FirstDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(3) });
        var seen = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            throttle.RecordFailure(Client);
            seen.Add(throttle.DelayFor(Client));
        }

        Assert.Equal([TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)], seen);
    }

    [Fact]
    public void Many_failures_never_overflow()
    {
        var throttle = NewThrottle(new LoginThrottleOptions { MaxDelay = TimeSpan.FromDays(365) });
        for (var i = 0; i < 200; i++)
        {
            throttle.RecordFailure(Client);
        }

        var delay = throttle.DelayFor(Client);
        Assert.True(delay > TimeSpan.Zero && delay <= TimeSpan.FromDays(365), delay.ToString());
    }

    [Fact]
    public void A_success_resets_the_address()
    {
        var throttle = NewThrottle();
        for (var i = 0; i < 4; i++)
        {
            throttle.RecordFailure(Client);
        }

        Assert.Equal(TimeSpan.FromSeconds(4), throttle.DelayFor(Client));
        throttle.RecordSuccess(Client);
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(Client));
        Assert.Equal(0, throttle.Count);
        throttle.RecordFailure(Client);
        throttle.RecordFailure(Client);
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.DelayFor(Client));
    }

    [Fact]
    public void A_quiet_period_resets_the_address_but_a_shorter_pause_does_not()
    {
        var throttle = NewThrottle(new LoginThrottleOptions { QuietPeriod = TimeSpan.FromMinutes(10) });
        for (var i = 0; i < 3; i++)
        {
            throttle.RecordFailure(Client);
        }

        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(TimeSpan.FromSeconds(2), throttle.DelayFor(Client));
        throttle.RecordFailure(Client);
        Assert.Equal(TimeSpan.FromSeconds(4), throttle.DelayFor(Client));

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(Client));
        throttle.RecordFailure(Client);
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(Client));
    }

    [Fact]
    public void Ipv4_mapped_and_same_prefix_ipv6_addresses_share_a_record()
    {
        var throttle = NewThrottle(new LoginThrottleOptions { FreeFailures = 0 });
        throttle.RecordFailure(IPAddress.Parse("::ffff:192.0.2.7"));
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.DelayFor(Client));

        throttle.RecordFailure(IPAddress.Parse("2001:db8:1:2::1"));
        throttle.RecordFailure(IPAddress.Parse("2001:db8:1:2:ffff::9"));
        Assert.Equal(TimeSpan.FromSeconds(2), throttle.DelayFor(IPAddress.Parse("2001:db8:1:2::77")));
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(IPAddress.Parse("2001:db8:1:3::1")));
    }

    [Fact]
    public void Memory_is_bounded_and_the_least_recent_go_first()
    {
        var throttle = NewThrottle(new LoginThrottleOptions { MaxAddresses = 100, FreeFailures = 0 });
        var first = IPAddress.Parse("10.0.0.1");
        throttle.RecordFailure(first);
        for (var i = 0; i < 1000; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            throttle.RecordFailure(new IPAddress([10, 1, (byte)(i >> 8), (byte)i]));
            Assert.InRange(throttle.Count, 1, 100);
        }

        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(first));
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.DelayFor(new IPAddress([10, 1, 3, 231])));
    }

    [Fact]
    public void Quiet_addresses_are_dropped_before_active_ones()
    {
        var throttle = NewThrottle(new LoginThrottleOptions { MaxAddresses = 10, QuietPeriod = TimeSpan.FromMinutes(1), FreeFailures = 0 });
        var active = IPAddress.Parse("10.9.9.9");
        for (var i = 0; i < 9; i++)
        {
            throttle.RecordFailure(new IPAddress([10, 0, 0, (byte)i]));
        }

        _time.Advance(TimeSpan.FromMinutes(2));
        throttle.RecordFailure(active);
        throttle.RecordFailure(new IPAddress([10, 0, 1, 1]));
        Assert.Equal(2, throttle.Count);
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.DelayFor(active));
    }

    [Fact]
    public async Task Concurrent_use_is_safe()
    {
        var throttle = NewThrottle(new LoginThrottleOptions { MaxAddresses = 50 });
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var address = new IPAddress([10, (byte)t, (byte)(i % 97), 1]);
                throttle.RecordFailure(address);
                _ = throttle.DelayFor(address);
                if (i % 5 == 0)
                {
                    throttle.RecordSuccess(address);
                }
            }
        })));
        Assert.InRange(throttle.Count, 1, 50);
    }
}
