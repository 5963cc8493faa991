namespace SyncServer.Storage.Tests;

/// <summary>A clock the test moves by hand (starts at the real time, so file times and it agree).</summary>
public sealed class ManualTime : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
