using System.Xml.Linq;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.Tests.Cli;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>
/// Search (client-requirements EAS-SR-01) against the real server: the Mailbox store over messages put there by
/// IMAP (free text in headers and body, folder with and without DeepTraversal, date range, Range paging with Total)
/// and the GAL store over the directory's accounts; malformed and too complex queries get their Store status.
/// </summary>
[NonParallelizable]
public sealed class SearchTests
{
    private static readonly XNamespace S = ActiveSyncNamespaces.Search;
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;
    private static readonly XNamespace Gal = ActiveSyncNamespaces.Gal;

    private EasServer _server = null!;
    private EasDevice _phone = null!;
    private Dictionary<string, string> _folders = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await EasServer.StartAsync();
        foreach (var (address, name) in new[] { ("bob@example.org", "Bob Builder"), ("bobby@example.org", "Roberta Tables") })
            Assert.That((await ServerProcess.RunAsync(_server.DataDirectory, "secret secret\n", "user", "add", address, "--password-stdin", "--name", name)).ExitCode, Is.Zero);

        using var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await imap.ConnectAsync("127.0.0.1", _server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync(EasServer.User, EasServer.Password);
        var travel = (await imap.GetFolder(imap.PersonalNamespaces[0]).CreateAsync("Travel", true))!;
        var year = (await travel.CreateAsync("2026", true))!;
        await AppendAsync(imap.Inbox, "Invoice 17", "Please pay the invoice.", new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        await AppendAsync(imap.Inbox, "Lunch", "See you at noon, bring the INVOICE.", new DateTimeOffset(2026, 3, 5, 9, 0, 0, TimeSpan.Zero));
        await AppendAsync(travel, "Train tickets", "Invoice attached for the train.", new DateTimeOffset(2026, 2, 1, 9, 0, 0, TimeSpan.Zero));
        await AppendAsync(year, "Hotel", "Booking confirmed.", new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));

        _phone = new EasDevice(_server, "searchphone", "iPhone", "16.1");
        await _phone.ProvisionAsync();
        var (_, folders) = await _phone.PostAsync("FolderSync", Eas.FolderSync("0"));
        _folders = folders!.Descendants(Eas.Folders + "Add").ToDictionary(a => Eas.Value(a, Eas.Folders + "DisplayName"), a => Eas.Value(a, Eas.Folders + "ServerId"));
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _phone.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task EAS_SR_01_Mailbox_FreeTextInHeadersAndBody_NewestFirst_WithLongIdAndTruncatedBody()
    {
        var store = await SearchAsync(Mailbox(new XElement(S + "And", new XElement(AirSync + "Class", "Email"), new XElement(S + "FreeText", "invoice")),
            new XElement(S + "Range", "0-9"), new XElement(Base + "BodyPreference", new XElement(Base + "Type", 1), new XElement(Base + "TruncationSize", 10))));
        Assert.That(Eas.Value(store, S + "Status"), Is.EqualTo("1"));
        var results = store.Elements(S + "Result").ToList();
        Assert.That(results.Select(r => Eas.Value(r, Email + "Subject")), Is.EqualTo(new[] { "Lunch", "Invoice 17", "Train tickets" }), "newest first; body matches count");
        Assert.That(results.Select(r => Eas.Value(r, AirSync + "CollectionId")), Is.EqualTo(new[] { _folders["INBOX"], _folders["INBOX"], _folders["Travel"] }));
        Assert.That(Eas.Value(results[0], S + "LongId"), Does.StartWith(_folders["INBOX"] + ":"));
        Assert.That((Eas.Value(results[1], Base + "Data"), Eas.Value(results[1], Base + "Truncated")), Is.EqualTo(("Please pay", "1")));
        Assert.That((Eas.Value(store, S + "Range"), Eas.Value(store, S + "Total")), Is.EqualTo(("0-2", "3")));
    }

    [Test]
    public async Task EAS_SR_01_Mailbox_FolderWithAndWithoutDeepTraversal_DateRange_AndRangePaging()
    {
        XElement InTravel() => new(S + "And", new XElement(AirSync + "CollectionId", _folders["Travel"]));
        var shallow = await SearchAsync(Mailbox(InTravel()));
        Assert.That(shallow.Elements(S + "Result").Select(r => Eas.Value(r, Email + "Subject")), Is.EqualTo(new[] { "Train tickets" }));
        var deep = await SearchAsync(Mailbox(InTravel(), new XElement(S + "DeepTraversal")));
        Assert.That(deep.Elements(S + "Result").Select(r => Eas.Value(r, Email + "Subject")), Is.EqualTo(new[] { "Hotel", "Train tickets" }));

        var march = new XElement(S + "And",
            new XElement(S + "GreaterThan", new XElement(Email + "DateReceived"), new XElement(S + "Value", "2026-02-15T00:00:00.000Z")),
            new XElement(S + "LessThan", new XElement(Email + "DateReceived"), new XElement(S + "Value", "2026-03-31T00:00:00.000Z")));
        var first = await SearchAsync(Mailbox(march, new XElement(S + "Range", "0-0")));
        var second = await SearchAsync(Mailbox(march, new XElement(S + "Range", "1-1")));
        Assert.That((Eas.Value(first, Email + "Subject"), Eas.Value(first, S + "Range"), Eas.Value(first, S + "Total")), Is.EqualTo(("Lunch", "0-0", "2")));
        Assert.That((Eas.Value(second, Email + "Subject"), Eas.Value(second, S + "Range"), Eas.Value(second, S + "Total")), Is.EqualTo(("Invoice 17", "1-1", "2")));
    }

    [Test]
    public async Task EAS_SR_01_Gal_PrefixOfNameWordOrAddress_InTheUsersDomain_EmptyAnswerStillHasRangeAndTotal()
    {
        var bob = await SearchAsync(new XElement(S + "Store", new XElement(S + "Name", "GAL"), new XElement(S + "Query", "bob"),
            new XElement(S + "Options", new XElement(S + "Range", "0-9"))));
        Assert.That(bob.Elements(S + "Result").Select(r => Eas.Value(r, Gal + "EmailAddress")), Is.EqualTo(new[] { "bob@example.org", "bobby@example.org" }));
        Assert.That((Eas.Value(bob, Gal + "DisplayName"), Eas.Value(bob, Gal + "FirstName"), Eas.Value(bob, Gal + "LastName")),
            Is.EqualTo(("Bob Builder", "Bob", "Builder")));
        var alice = await SearchAsync(new XElement(S + "Store", new XElement(S + "Name", "GAL"), new XElement(S + "Query", "liddell")));
        Assert.That(Eas.Value(alice, Gal + "EmailAddress"), Is.EqualTo(EasServer.User));

        var nobody = await SearchAsync(new XElement(S + "Store", new XElement(S + "Name", "GAL"), new XElement(S + "Query", "zebra")));
        Assert.That((Eas.Value(nobody, S + "Status"), Eas.Value(nobody, S + "Total"), nobody.Element(S + "Range") is not null, nobody.Element(S + "Result")!.IsEmpty),
            Is.EqualTo(("1", "0", true, true)));
    }

    [Test]
    public async Task EAS_SR_01_BadQueries_GetTheirStoreStatus()
    {
        var tooComplex = await SearchAsync(Mailbox(new XElement(S + "Or", new XElement(S + "FreeText", "x"))));
        Assert.That(Eas.Value(tooComplex, S + "Status"), Is.EqualTo("8"));
        var badRange = await SearchAsync(Mailbox(new XElement(S + "FreeText", "x"), new XElement(S + "Range", "9-2")));
        Assert.That(Eas.Value(badRange, S + "Status"), Is.EqualTo("2"));
        var badDate = await SearchAsync(Mailbox(new XElement(S + "And",
            new XElement(S + "GreaterThan", new XElement(Email + "DateReceived"), new XElement(S + "Value", "yesterday")))));
        Assert.That(Eas.Value(badDate, S + "Status"), Is.EqualTo("2"));
        var library = await SearchAsync(new XElement(S + "Store", new XElement(S + "Name", "DocumentLibrary"), new XElement(S + "Query", "x")));
        Assert.That(Eas.Value(library, S + "Status"), Is.EqualTo("2"));
        var (_, noStore) = await _phone.PostAsync("Search", new XElement(S + "Search"));
        Assert.That(Eas.Value(noStore!, S + "Status"), Is.EqualTo("2"));
    }

    private static XElement Mailbox(XElement query, params XElement[] options)
        => new(S + "Store", new XElement(S + "Name", "Mailbox"), new XElement(S + "Query", query), new XElement(S + "Options", options));

    private async Task<XElement> SearchAsync(XElement store)
    {
        var (_, answer) = await _phone.PostAsync("Search", new XElement(S + "Search", store));
        Assert.That(Eas.Value(answer!, S + "Status"), Is.EqualTo("1"));
        return answer!.Element(S + "Response")!.Element(S + "Store")!;
    }

    private static async Task AppendAsync(IMailFolder folder, string subject, string text, DateTimeOffset date)
    {
        var message = new MimeMessage([MailboxAddress.Parse("carol@example.net")], [MailboxAddress.Parse(EasServer.User)], subject,
            new TextPart("plain") { Text = text }) { Date = date };
        await folder.AppendAsync(message, MessageFlags.None, date);
    }
}
