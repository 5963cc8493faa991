using SyncServer.Protocols.Imap;

namespace SyncServer.Protocols.Tests.Imap;

public class ImapMailboxNameTests
{
    // RFC 3501 §5.1.3: "~peter/mail/台北/日本語".
    [TestCase("~peter/mail/&U,BTFw-/&ZeVnLIqe-", "~peter/mail/台北/日本語")]
    [TestCase("Entw&APw-rfe", "Entwürfe")]
    [TestCase("Tom &- Jerry", "Tom & Jerry")]
    [TestCase("&2D3eAA-", "😀")]
    [TestCase("Sent", "Sent")]
    public void Modified_utf7_round_trips(string wire, string name)
    {
        Assert.That(ImapMailboxName.DecodeModifiedUtf7(wire), Is.EqualTo(name));
        Assert.That(ImapMailboxName.EncodeModifiedUtf7(name), Is.EqualTo(wire));
    }

    [TestCase("&Jjo!")]
    [TestCase("&U,BTFw")]
    [TestCase("&AGE-")]
    [TestCase("&2D0-")]
    [TestCase("&A-")]
    [TestCase("caf\u00e9")]
    public void Invalid_modified_utf7_decodes_to_null(string wire) => Assert.That(ImapMailboxName.DecodeModifiedUtf7(wire), Is.Null);

    [TestCase("inbox", false, "INBOX")]
    [TestCase("InBox", true, "INBOX")]
    [TestCase("INBOX.Sent", false, "INBOX.Sent")]
    public void Inbox_is_case_insensitive(string wire, bool utf8, string name) =>
        Assert.That(ImapMailboxName.Decode(wire, utf8), Is.EqualTo(name));

    [Test]
    public void Utf8_clients_send_names_as_is()
    {
        Assert.That(ImapMailboxName.Decode("Entwürfe", utf8: true), Is.EqualTo("Entwürfe"));
        Assert.That(ImapMailboxName.Encode("Entwürfe", utf8: true), Is.EqualTo("Entwürfe"));
        Assert.That(ImapMailboxName.Encode("Entwürfe", utf8: false), Is.EqualTo("Entw&APw-rfe"));
    }

    [Test]
    public void Utf8_name_arriving_in_rev1_form_is_refused() =>
        Assert.That(ImapMailboxName.Decode("Entwürfe", utf8: false), Is.Null);
}
