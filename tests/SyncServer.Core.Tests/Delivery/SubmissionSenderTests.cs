using SyncServer.Core.Delivery;
using SyncServer.Core.Model;

namespace SyncServer.Core.Tests.Delivery;

/// <summary>Issue 3 item 5: on submission, MAIL FROM must be an address the authenticated account owns.</summary>
public sealed class SubmissionSenderTests : DeliveryTests
{
    private Account _alice = null!;
    private Account _info = null!;

    [SetUp]
    public async Task CreateAccountsAsync()
    {
        _alice = await UserAsync("alice@example.com");
        await UserAsync("bob@example.com");
        _info = await UserAsync("info@example.com", kind: AccountKind.Shared);
        await Dir.AddAliasAsync("a.smith@example.com", ["alice@example.com"], None);
    }

    private Task<DeliveryStatus> CheckAsync(string? mailFrom)
        => Target.CheckSenderAsync(Submission("alice@example.com"), mailFrom, None);

    [Test]
    public async Task Submission_sender_own_address_is_accepted()
        => Assert.That(await CheckAsync("Alice@Example.com"), Is.EqualTo(DeliveryStatus.Accepted));

    [Test]
    public async Task Submission_sender_alias_targeting_the_account_is_accepted()
        => Assert.That(await CheckAsync("a.smith@example.com"), Is.EqualTo(DeliveryStatus.Accepted));

    [Test]
    public async Task Submission_sender_someone_else_is_refused_with_553_5_7_1()
        => Assert.That(await CheckAsync("bob@example.com"), Is.EqualTo(DeliveryStatus.SenderNotOwned));

    [Test]
    public async Task Submission_sender_null_reverse_path_is_refused_with_553_5_7_1()
        => Assert.That(await CheckAsync(null), Is.EqualTo(DeliveryStatus.SenderNotOwned));

    [Test]
    public async Task Submission_sender_shared_mailbox_with_SendAs_grant_is_accepted()
    {
        await Dir.SetGrantAsync(new Grant(_alice.Id, _info.Id, null, GrantRights.Read | GrantRights.SendAs), None);
        Assert.That(await CheckAsync("info@example.com"), Is.EqualTo(DeliveryStatus.Accepted));
    }

    [Test]
    public async Task Submission_sender_shared_mailbox_without_SendAs_grant_is_refused_with_553_5_7_1()
    {
        await Dir.SetGrantAsync(new Grant(_alice.Id, _info.Id, null, GrantRights.Read | GrantRights.SendOnBehalf), None);
        Assert.That(await CheckAsync("info@example.com"), Is.EqualTo(DeliveryStatus.SenderNotOwned));
    }

    [Test]
    public async Task Submission_sender_that_fails_the_check_is_refused_at_every_RCPT_when_begun_anyway()
    {
        var (atRcpt, atCommit) = await DeliverAsync(Submission("alice@example.com"), "bob@example.com", ["bob@example.com"]);
        Assert.That((atRcpt.Single(), atCommit.Count), Is.EqualTo((DeliveryStatus.SenderNotOwned, 0)));
        Assert.That(await ItemsAsync("bob@example.com"), Is.Empty);
    }

    [Test]
    public async Task Mx_sender_is_not_checked()
        => Assert.That(await Target.CheckSenderAsync(Mx, "bob@example.com", None), Is.EqualTo(DeliveryStatus.Accepted));
}
