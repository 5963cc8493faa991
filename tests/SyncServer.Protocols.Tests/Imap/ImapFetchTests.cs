using SyncServer.Protocols.Imap;
using static SyncServer.Protocols.Tests.Imap.ImapParsing;

namespace SyncServer.Protocols.Tests.Imap;

public class ImapFetchTests
{
    private static IReadOnlyList<ImapFetchAttribute> Attributes(string attributes) =>
        Command<Fetch>($"a FETCH 1 {attributes}\r\n").Attributes;

    private static ImapFetchAttribute Single(string attribute) => Attributes(attribute).Single();

    [TestCase("FAST", "FLAGS INTERNALDATE RFC822.SIZE")]
    [TestCase("ALL", "FLAGS INTERNALDATE RFC822.SIZE ENVELOPE")]
    [TestCase("full", "FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY")]
    public void Fetch_macros_expand(string macro, string expanded) =>
        Assert.That(Describe(Attributes(macro)), Is.EqualTo(Describe(Attributes($"({expanded})"))));

    [TestCase("ENVELOPE", ImapFetchItem.Envelope)]
    [TestCase("flags", ImapFetchItem.Flags)]
    [TestCase("INTERNALDATE", ImapFetchItem.InternalDate)]
    [TestCase("RFC822", ImapFetchItem.Rfc822)]
    [TestCase("RFC822.HEADER", ImapFetchItem.Rfc822Header)]
    [TestCase("RFC822.SIZE", ImapFetchItem.Rfc822Size)]
    [TestCase("RFC822.TEXT", ImapFetchItem.Rfc822Text)]
    [TestCase("BODY", ImapFetchItem.Body)]
    [TestCase("BODYSTRUCTURE", ImapFetchItem.BodyStructure)]
    [TestCase("UID", ImapFetchItem.Uid)]
    [TestCase("MODSEQ", ImapFetchItem.ModSeq)]
    public void Fetch_simple_attribute(string attribute, ImapFetchItem item) =>
        Assert.That(Single(attribute), Is.EqualTo(new FetchItem(item)));

    [Test]
    public void Fetch_BODY_whole_message() =>
        Assert.That(Single("BODY[]"), Is.EqualTo(new FetchBodySection(ImapSection.Whole, false, null)));

    [Test]
    public void Fetch_BODY_PEEK_HEADER_FIELDS_with_partial()
    {
        var body = (FetchBodySection)Single("BODY.PEEK[HEADER.FIELDS (From \"Subject\" {2+}\r\nTo)]<0.2048>");
        Assert.That((body.Peek, body.Partial, body.Section.Text), Is.EqualTo((true, (ImapPartial?)new ImapPartial(0, 2048), (ImapSectionText?)ImapSectionText.HeaderFields)));
        Assert.That(body.Section.HeaderFields, Is.EqualTo(new[] { "From", "Subject", "To" }));
        Assert.That(body.Section.ToString(), Is.EqualTo("HEADER.FIELDS (From Subject To)"));
    }

    [TestCase("BODY[1.2.HEADER.FIELDS.NOT (Received)]", "1.2.HEADER.FIELDS.NOT (Received)")]
    [TestCase("BODY[1.MIME]", "1.MIME")]
    [TestCase("BODY[3.TEXT]", "3.TEXT")]
    [TestCase("body[text]", "TEXT")]
    [TestCase("BODY[2.1]", "2.1")]
    [TestCase("BODY[4.2.HEADER]", "4.2.HEADER")]
    public void Fetch_BODY_sections_echo_their_wire_form(string attribute, string section) =>
        Assert.That(((FetchBodySection)Single(attribute)).Section.ToString(), Is.EqualTo(section));

    [Test]
    public void Fetch_BINARY_PEEK_part_with_partial() =>
        Assert.That(Describe(Single("BINARY.PEEK[1.2]<100.50>")), Is.EqualTo("FetchBinary{Part=[1, 2], Peek=True, Partial=ImapPartial{Offset=100, Length=50}}"));

    [Test]
    public void Fetch_BINARY_whole_and_BINARY_SIZE()
    {
        Assert.That(Describe(Attributes("(BINARY[] BINARY.SIZE[3])")), Is.EqualTo("[FetchBinary{Part=[], Peek=False, Partial=null}, FetchBinarySize{Part=[3]}]"));
    }

    [TestCase("BODY[MIME]")]
    [TestCase("BODY[0]")]
    [TestCase("BODY[1.FOO]")]
    [TestCase("BODY[HEADER.FIELDS]")]
    [TestCase("BODY[HEADER.FIELDS ()]")]
    [TestCase("BODY[]<0.0>")]
    [TestCase("BODY[]<5>")]
    [TestCase("BODY.PEEK")]
    [TestCase("BINARY[TEXT]")]
    [TestCase("BINARY.SIZE[1]<0.1>")]
    [TestCase("FLAGS[]")]
    [TestCase("(FLAGS")]
    [TestCase("()")]
    [TestCase("COLOUR")]
    public void Fetch_invalid_attributes_are_BAD(string attribute) =>
        Assert.That(Error($"a FETCH 1 {attribute}\r\n").Tag, Is.EqualTo("a"));

    [Test]
    public void Uid_fetch_with_CHANGEDSINCE_and_VANISHED()
    {
        var fetch = Command<Fetch>("a UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)\r\n");
        Assert.That((fetch.Uid, fetch.ChangedSince, fetch.Vanished), Is.EqualTo((true, (ulong?)12345, true)));
    }

    [TestCase("a FETCH 1:* FLAGS (CHANGEDSINCE 1 VANISHED)\r\n")]
    [TestCase("a UID FETCH 1:* FLAGS (VANISHED)\r\n")]
    [TestCase("a FETCH 1 FLAGS (CHANGEDSINCE)\r\n")]
    [TestCase("a FETCH FLAGS\r\n")]
    public void Fetch_invalid_modifiers_are_BAD(string line) => Assert.That(Error(line).Tag, Is.EqualTo("a"));

    [Test]
    public void Fetch_saved_search_result() => Assert.That(Command<Fetch>("a FETCH $ UID\r\n").Set.IsSavedResult, Is.True);
}
