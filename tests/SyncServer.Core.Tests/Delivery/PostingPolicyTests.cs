using SyncServer.Core.Delivery;
using SyncServer.Core.Model;

namespace SyncServer.Core.Tests.Delivery;

/// <summary>Issue 3's matrix: 4 policies × {member, same-domain non-member, listed sender, outsider}, decided at RCPT.</summary>
public sealed class PostingPolicyTests : DeliveryTests
{
    private const string Member = "member@example.com";
    private const string Colleague = "colleague@example.com";
    private const string ListedSender = "boss@partner.example";
    private const string Outsider = "stranger@elsewhere.example";

    private static readonly (string Name, string Address)[] Senders =
    [
        ("member", Member), ("same_domain_non_member", Colleague), ("listed_sender", ListedSender), ("outsider", Outsider),
    ];

    private static readonly Dictionary<PostingPolicy, string[]> Allowed = new()
    {
        [PostingPolicy.Members] = [Member],
        [PostingPolicy.Domain] = [Member, Colleague],
        [PostingPolicy.Senders] = [ListedSender],
        [PostingPolicy.Anyone] = [Member, Colleague, ListedSender, Outsider],
    };

    private static IEnumerable<TestCaseData> Matrix()
        => from policy in Allowed.Keys
           from sender in Senders
           let allowed = Allowed[policy].Contains(sender.Address)
           select new TestCaseData(policy, sender.Address, allowed).SetName(allowed
               ? $"List_with_{policy.ToString().ToLowerInvariant()}_policy_accepts_{sender.Name}"
               : $"List_with_{policy.ToString().ToLowerInvariant()}_policy_refuses_{sender.Name}_with_550_5_7_2");

    [TestCaseSource(nameof(Matrix))]
    public async Task Posting_policy_is_decided_at_RCPT(PostingPolicy policy, string sender, bool allowed)
    {
        await UserAsync(Member);
        // Every list names the same allowed sender, so only the policy differs between rows.
        await Dir.AddListAsync(new DistributionList("list@example.com", policy, [Member], [ListedSender]), None);
        var (atRcpt, atCommit) = await DeliverAsync(Mx, sender, ["list@example.com"]);
        Assert.That(atRcpt.Single(), Is.EqualTo(allowed ? DeliveryStatus.Accepted : DeliveryStatus.NotAllowedToPost));
        Assert.That(await ItemsAsync(Member), Has.Count.EqualTo(allowed ? 1 : 0));
        Assert.That(atCommit, Has.Count.EqualTo(allowed ? 1 : 0));
    }

    [Test]
    public async Task List_with_members_policy_accepts_a_member_authenticated_on_submission()
    {
        await UserAsync(Member);
        await Dir.AddAliasAsync("m.ember@example.com", [Member], None);
        await Dir.AddListAsync(new DistributionList("list@example.com", PostingPolicy.Members, [Member], []), None);
        // The envelope sender is the member's alias; the authenticated account is the member itself.
        var (atRcpt, _) = await DeliverAsync(Submission(Member), "m.ember@example.com", ["list@example.com"]);
        Assert.That(atRcpt.Single(), Is.EqualTo(DeliveryStatus.Accepted));
    }

    [Test]
    public async Task List_with_members_policy_refuses_the_null_sender_with_550_5_7_2()
    {
        await UserAsync(Member);
        await Dir.AddListAsync(new DistributionList("list@example.com", PostingPolicy.Members, [Member], []), None);
        Assert.That((await DeliverAsync(Mx, null, ["list@example.com"])).AtRcpt.Single(), Is.EqualTo(DeliveryStatus.NotAllowedToPost));
    }
}
