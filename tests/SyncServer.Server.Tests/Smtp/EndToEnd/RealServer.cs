using SyncServer.Server.Shared;
using SyncServer.Server.Tests.Smtp.Outbound;

namespace SyncServer.Server.Tests.Smtp.EndToEnd;

/// <summary>
/// One real <c>serve</c> process for every end-to-end SMTP test (started like <see cref="Cli.ServeTests"/>: a child
/// process on free ports, a temporary data directory, domain and users made with the CLI). Real delivery, real
/// directory, default limits (50 MB). DNS is the fixture (never the internet) with the records of
/// <see cref="InboundAuthenticationTests"/>, and DMARC p=reject is enforced.
/// </summary>
[SetUpFixture]
public sealed class RealServer
{
    public const string User = "bob@example.org";
    public const string ThrottledUser = "carol@example.org";
    public const string Password = SmtpServe.Password;

    private static SmtpServe _serve = null!;
    private static DnsFixture _dns = null!;

    public static int Mx => _serve.Mx;
    public static int Submission => _serve.Submission;
    public static int Smtps => _serve.Smtps;
    public static string Stderr => _serve.Stderr;
    public static DkimKeys DkimKeys => _serve.DkimKeys;

    /// <summary>A text body of 51 MiB in lines of 1,000 characters: over the default 50 MiB limit.</summary>
    public static string FiftyOneMegabytes { get; } =
        new System.Text.StringBuilder().Insert(0, new string('x', 998) + "\r\n", 51 * 1024 * 1024 / 1000 + 1).ToString();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _dns = InboundAuthenticationTests.Zone();
        _serve = await SmtpServe.StartAsync(
            new Dictionary<string, string>
            {
                ["SYNCSERVER__DNS__SERVER"] = _dns.Server,
                ["SYNCSERVER__MAIL__ENFORCEDMARCREJECT"] = "true",
            },
            User, ThrottledUser);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _serve.DisposeAsync();
        _dns.Dispose();
    }

    /// <inheritdoc cref="SmtpServe.InboxAsync"/>
    public static Task<IReadOnlyList<byte[]>> InboxAsync(string address) => _serve.InboxAsync(address);

    /// <inheritdoc cref="SmtpServe.InboxItemsAsync"/>
    public static Task<IReadOnlyList<(Core.Model.Item Item, byte[] Bytes)>> InboxItemsAsync(string address) => _serve.InboxItemsAsync(address);

    /// <inheritdoc cref="SmtpServe.OpenStoreAsync"/>
    public static Task<Storage.OpenedStore> OpenStoreAsync() => _serve.OpenStoreAsync();
}
