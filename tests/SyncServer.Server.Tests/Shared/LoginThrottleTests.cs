using System.Net;
using Microsoft.Extensions.Time.Testing;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Tests.Shared;

public sealed class LoginThrottleTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Other = IPAddress.Parse("198.51.100.7");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private LoginThrottle _throttle = null!;

    [SetUp]
    public void SetUp() => _throttle = new LoginThrottle(_time, new LoginThrottleOptions());

    [Test]
    public void Account_IsLockedAfterFiveFailures_ForOneMinute()
    {
        for (var i = 0; i < 4; i++)
            _throttle.RecordFailure("bob@example.org", IPAddress.Parse($"203.0.113.{i}"));
        Assert.That(_throttle.IsBlocked("bob@example.org", Other), Is.False);

        _throttle.RecordFailure("bob@example.org", Attacker);
        Assert.That(_throttle.IsBlocked("BOB@example.org", Other), Is.True, "an account lock holds from every address");
        Assert.That(_throttle.IsBlocked("alice@example.org", Other), Is.False);

        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.That(_throttle.IsBlocked("bob@example.org", Other), Is.False);
    }

    [Test]
    public void Account_LockGrowsWithEveryFurtherFailure()
    {
        for (var i = 0; i < 5; i++)
            _throttle.RecordFailure("bob@example.org", null);
        _time.Advance(TimeSpan.FromMinutes(1));
        _throttle.RecordFailure("bob@example.org", null);

        _time.Advance(TimeSpan.FromSeconds(90));
        Assert.That(_throttle.IsBlocked("bob@example.org", null), Is.True, "the sixth failure locks for two minutes");
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.That(_throttle.IsBlocked("bob@example.org", null), Is.False);
    }

    [Test]
    public void Account_FailuresOutsideTheWindowDoNotCount()
    {
        for (var i = 0; i < 4; i++)
            _throttle.RecordFailure("bob@example.org", null);
        _time.Advance(TimeSpan.FromMinutes(16));
        _throttle.RecordFailure("bob@example.org", null);
        Assert.That(_throttle.IsBlocked("bob@example.org", null), Is.False);
    }

    [Test]
    public void Success_ClearsTheAccountButNotTheAddress()
    {
        for (var i = 0; i < 5; i++)
            _throttle.RecordFailure("bob@example.org", Attacker);
        for (var i = 0; i < 9; i++)
            _throttle.RecordFailure($"user{i}@example.org", Attacker);
        _throttle.RecordSuccess("bob@example.org", Other);

        Assert.That(_throttle.IsBlocked("bob@example.org", Other), Is.False);
        Assert.That(_throttle.IsBlocked("bob@example.org", Attacker), Is.True);
    }

    [Test]
    public void Address_IsBlockedAfterTenFailures_UntilTheOldestLeavesTheWindow()
    {
        for (var i = 0; i < 10; i++)
        {
            _throttle.RecordFailure($"user{i}@example.org", Attacker);
            _time.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.That(_throttle.IsBlocked("new@example.org", Attacker), Is.True);
        Assert.That(_throttle.IsBlocked("new@example.org", Other), Is.False);

        _time.Advance(TimeSpan.FromMinutes(5)); // the first failure is now 15 minutes old
        Assert.That(_throttle.IsBlocked("new@example.org", Attacker), Is.False);
    }

    [Test]
    public void EAS_Q_27_OneAccountFailingFromASharedAddress_LocksThatAccount_NotTheOthersBehindIt()
    {
        for (var i = 0; i < 50; i++)   // an Outlook mobile user's stale password, retried through Microsoft's cloud address
            _throttle.RecordFailure("bob@example.org", Attacker);
        Assert.That(_throttle.IsBlocked("bob@example.org", Attacker), Is.True);
        Assert.That(_throttle.IsBlocked("alice@example.org", Attacker), Is.False, "alice signs in through the same address");

        for (var i = 0; i < 8; i++)
            _throttle.RecordFailure($"user{i}@example.org", Attacker);
        Assert.That(_throttle.IsBlocked("alice@example.org", Attacker), Is.False, "nine accounts failing");
        _throttle.RecordFailure("user8@example.org", Attacker);
        Assert.That(_throttle.IsBlocked("alice@example.org", Attacker), Is.True, "ten accounts failing from one address is spraying");
    }

    [Test]
    public void Ipv6_IsThrottledPerSlash64_AndMappedIpv4AsIpv4()
    {
        for (var i = 0; i < 10; i++)
            _throttle.RecordFailure($"user{i}@example.org", IPAddress.Parse($"2001:db8:1:2::{i + 1:x}"));
        Assert.That(_throttle.IsBlocked("x@example.org", IPAddress.Parse("2001:db8:1:2:ffff::1")), Is.True);
        Assert.That(_throttle.IsBlocked("x@example.org", IPAddress.Parse("2001:db8:1:3::1")), Is.False);

        for (var i = 0; i < 10; i++)
            _throttle.RecordFailure($"user{i}@example.org", Attacker.MapToIPv6());
        Assert.That(_throttle.IsBlocked("x@example.org", Attacker), Is.True);
    }

    [Test]
    public void Memory_IsBounded()
    {
        var throttle = new LoginThrottle(_time, new LoginThrottleOptions { MaxTrackedKeys = 100 });
        for (var i = 0; i < 1000; i++)
            throttle.RecordFailure($"user{i}@example.org", new IPAddress(i + 1));

        // The most recent failures are still tracked after eviction.
        for (var i = 0; i < 4; i++)
            throttle.RecordFailure("user999@example.org", null);
        Assert.That(throttle.IsBlocked("user999@example.org", null), Is.True);
        Assert.That(throttle.TrackedKeys, Is.LessThanOrEqualTo(200));
    }
}
