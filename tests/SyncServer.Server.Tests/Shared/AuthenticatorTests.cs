using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SyncServer.Core.Credentials;
using SyncServer.Core.Model;
using SyncServer.Server.Shared;
using SyncServer.Storage;

namespace SyncServer.Server.Tests.Shared;

/// <summary>The one login check every protocol calls, over a real SQLite store.</summary>
public sealed class AuthenticatorTests
{
    // `openssl passwd -6 -salt saltsalt 'imported secret'`: a hash as Dovecot/PostfixAdmin store it.
    private const string ImportedSha512Crypt = "{SHA512-CRYPT}$6$saltsalt$OgTzSwpvPNZ5BNl9v0.Uyh8ZQMXr8d463TQe6EUS2OkHlPFLbKxIMvl8sqIai.DfrBokraenMEPfOcoIOnNhY0";
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly PasswordHasher _hasher = new(iterations: 1000);
    private DirectoryInfo _data = null!;
    private OpenedStore _store = null!;
    private Authenticator _authenticator = null!;

    [SetUp]
    public async Task SetUp()
    {
        _data = System.IO.Directory.CreateTempSubdirectory("syncserver-auth-");
        _store = await StoreHost.OpenAsync(new StorageOptions { DataDirectory = _data.FullName }, _time, CancellationToken.None);
        await _store.Directory.AddDomainAsync("example.org", CancellationToken.None);
        _authenticator = new Authenticator(_store.Directory, _hasher, new LoginThrottle(_time, new LoginThrottleOptions()), NullLogger<Authenticator>.Instance);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _store.DisposeAsync();
        _data.Delete(recursive: true);
    }

    [Test]
    public async Task ImportedSha512CryptHash_LogsIn_AndIsUpgradedToTheCurrentScheme()
    {
        await CreateAsync("bob@example.org", ImportedSha512Crypt);

        var result = await LoginAsync("Bob@Example.org", "imported secret");

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Succeeded));
        var stored = (await _store.Directory.GetAccountAsync("bob@example.org", CancellationToken.None))!.PasswordHash;
        Assert.That(stored, Does.StartWith("$pbkdf2-sha512$"));
        Assert.That((await LoginAsync("bob@example.org", "imported secret")).Outcome, Is.EqualTo(AuthenticationOutcome.Succeeded), "the upgraded hash verifies");
    }

    [Test]
    public async Task WrongPassword_UnknownAccount_DisabledAccount_AndSharedMailbox_AllFailAlike()
    {
        var bob = await CreateAsync("bob@example.org", _hasher.Hash("right"));
        await _store.Directory.CreateAccountAsync("info@example.org", "Info", _hasher.Hash("right"), null, AccountKind.Shared, CancellationToken.None);
        var carol = await CreateAsync("carol@example.org", _hasher.Hash("right"));
        await _store.Directory.SetEnabledAsync(carol.Id, false, CancellationToken.None);

        Assert.That((await LoginAsync("bob@example.org", "wrong")).Outcome, Is.EqualTo(AuthenticationOutcome.Failed));
        Assert.That((await LoginAsync("nobody@example.org", "right")).Outcome, Is.EqualTo(AuthenticationOutcome.Failed));
        Assert.That((await LoginAsync("not an address", "right")).Outcome, Is.EqualTo(AuthenticationOutcome.Failed));
        Assert.That((await LoginAsync("carol@example.org", "right")).Outcome, Is.EqualTo(AuthenticationOutcome.Failed));
        Assert.That((await LoginAsync("info@example.org", "right")).Outcome, Is.EqualTo(AuthenticationOutcome.Failed));
        Assert.That((await LoginAsync("bob@example.org", "right")).Account?.Id, Is.EqualTo(bob.Id));
    }

    [Test]
    public async Task EAS_Q_17_ALoginNameWithoutDomain_IsTheAccountOfTheOneDomainThatHasIt_NotOfSeveral()
    {
        var bob = await CreateAsync("bob@example.org", _hasher.Hash("right"));
        Assert.That((await LoginAsync("Bob", "right")).Account?.Id, Is.EqualTo(bob.Id));

        await _store.Directory.AddDomainAsync("example.net", CancellationToken.None);
        await CreateAsync("bob@example.net", _hasher.Hash("right"));
        Assert.That((await LoginAsync("bob", "right")).Outcome, Is.EqualTo(AuthenticationOutcome.Failed), "two bobs: which one is not guessed");
        Assert.That((await LoginAsync("nobody", "right")).Outcome, Is.EqualTo(AuthenticationOutcome.Failed));
    }

    [Test]
    public async Task FiveFailures_ThrottleTheAccount_EvenWithTheRightPassword_UntilTheLockEnds()
    {
        await CreateAsync("bob@example.org", _hasher.Hash("right"));
        for (var i = 0; i < 5; i++)
            await LoginAsync("bob@example.org", "guess" + i);

        Assert.That((await LoginAsync("bob@example.org", "right")).Outcome, Is.EqualTo(AuthenticationOutcome.Throttled));

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.That((await LoginAsync("bob@example.org", "right")).Outcome, Is.EqualTo(AuthenticationOutcome.Succeeded));
    }

    private Task<Account> CreateAsync(string address, string hash) =>
        _store.Directory.CreateAccountAsync(address, address, hash, null, AccountKind.User, CancellationToken.None);

    private Task<AuthenticationResult> LoginAsync(string address, string password) =>
        _authenticator.AuthenticateAsync(address, password, Client, "test", CancellationToken.None);
}
