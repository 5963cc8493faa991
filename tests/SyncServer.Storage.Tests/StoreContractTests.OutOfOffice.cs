using SyncServer.Core.Model;

namespace SyncServer.Storage.Tests;

/// <summary>Out-of-office settings (schema 0010) on every engine.</summary>
public abstract partial class StoreContractTests
{
    [Test]
    public async Task OutOfOffice_OffUntilSet_SetReplacesMessages_PerAccount_SurvivesReopen_GoneWithAccount()
    {
        var alice = await CreateUserAsync("alice@example.com");
        var bob = await CreateUserAsync("bob@example.com");
        Assert.That(await Opened.OutOfOffice.GetAsync(alice, None), Is.SameAs(OutOfOffice.Off));

        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_123);
        await Opened.OutOfOffice.SetAsync(alice, new OutOfOffice(OutOfOfficeState.TimeBased, start, start.AddDays(14),
        [
            new OutOfOfficeMessage(OutOfOfficeAudience.Internal, true, "Bin weg — zurück am 14.", false),
            new OutOfOfficeMessage(OutOfOfficeAudience.ExternalUnknown, false, "<p>Away</p>", true),
        ]), None);
        await Opened.OutOfOffice.SetAsync(bob, new OutOfOffice(OutOfOfficeState.Global, null, null, []), None);
        await ReopenAsync();

        var read = await Opened.OutOfOffice.GetAsync(alice, None);
        Assert.That((read.State, read.Start, read.End), Is.EqualTo((OutOfOfficeState.TimeBased, (DateTimeOffset?)start, (DateTimeOffset?)start.AddDays(14))));
        Assert.That(read.Messages, Is.EqualTo(new[]
        {
            new OutOfOfficeMessage(OutOfOfficeAudience.Internal, true, "Bin weg — zurück am 14.", false),
            new OutOfOfficeMessage(OutOfOfficeAudience.ExternalUnknown, false, "<p>Away</p>", true),
        }));
        Assert.That((await Opened.OutOfOffice.GetAsync(bob, None)).State, Is.EqualTo(OutOfOfficeState.Global));

        await Opened.OutOfOffice.SetAsync(alice, new OutOfOffice(OutOfOfficeState.Disabled, null, null,
            [new OutOfOfficeMessage(OutOfOfficeAudience.ExternalKnown, true, "later", false)]), None);
        read = await Opened.OutOfOffice.GetAsync(alice, None);
        Assert.That((read.State, read.Start, read.Messages.Single().Audience), Is.EqualTo((OutOfOfficeState.Disabled, (DateTimeOffset?)null, OutOfOfficeAudience.ExternalKnown)));

        await Dir.RemoveAccountAsync(alice, None);
        Assert.That(await Opened.OutOfOffice.GetAsync(alice, None), Is.SameAs(OutOfOffice.Off));
    }
}
