namespace SyncServer.Server.Tests.Dav;

/// <summary>One real server per fixture (<see cref="DavServer"/>) and an HttpClient logged in as alice.</summary>
public abstract class DavFixture
{
    protected DavServer Server { get; private set; } = null!;

    protected HttpClient Alice { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Server = await DavServer.StartAsync();
        Alice = Server.Client();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        Alice.Dispose();
        await Server.DisposeAsync();
    }
}
