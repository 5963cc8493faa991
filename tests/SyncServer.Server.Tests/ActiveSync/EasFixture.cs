namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>A test class over one ActiveSync server (HTTPS, IMAPS and submission beside it) started for all its tests.</summary>
public abstract class EasFixture
{
    protected EasServer Server { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartServer() => Server = await EasServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await Server.DisposeAsync();
}
