using System.Buffers;
using System.Text;
using SyncServer.Protocols.Imap;

namespace SyncServer.Protocols.Tests.Imap;

public class ImapResponseWriterTests
{
    private static string Write(ImapResponse response)
    {
        var output = new ArrayBufferWriter<byte>();
        ImapResponseWriter.Write(output, response);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static string WriteValue(ImapValue value)
    {
        var output = new ArrayBufferWriter<byte>();
        ImapValueWriter.Write(output, value);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static ImapSequenceSet Set(params uint[] numbers) => ImapSequenceSet.FromNumbers(numbers);

    [Test]
    public void Tagged_OK_with_UIDNEXT() =>
        Assert.That(Write(new ImapStatusResponse("a1", ImapStatus.Ok, ImapResponseCode.UidNext(4392), "Predicted next UID")),
            Is.EqualTo("a1 OK [UIDNEXT 4392] Predicted next UID\r\n"));

    [Test]
    public void Tagged_OK_APPENDUID() =>
        Assert.That(Write(new ImapStatusResponse("A003", ImapStatus.Ok, ImapResponseCode.AppendUid(38505, 3955), "APPEND completed")),
            Is.EqualTo("A003 OK [APPENDUID 38505 3955] APPEND completed\r\n"));

    [Test]
    public void Tagged_OK_COPYUID_with_compact_sets() =>
        Assert.That(Write(new ImapStatusResponse("A004", ImapStatus.Ok, ImapResponseCode.CopyUid(38505, Set(304, 319, 320), Set(3956, 3957, 3958)), "Done")),
            Is.EqualTo("A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n"));

    [TestCase("TRYCREATE", "a NO [TRYCREATE] Mailbox does not exist\r\n")]
    [TestCase("OVERQUOTA", "a NO [OVERQUOTA] Mailbox does not exist\r\n")]
    [TestCase("TOOBIG", "a NO [TOOBIG] Mailbox does not exist\r\n")]
    public void Tagged_NO_with_code(string name, string expected)
    {
        var code = name switch { "TRYCREATE" => ImapResponseCode.TryCreate, "OVERQUOTA" => ImapResponseCode.OverQuota, _ => ImapResponseCode.TooBig };
        Assert.That(Write(new ImapStatusResponse("a", ImapStatus.No, code, "Mailbox does not exist")), Is.EqualTo(expected));
    }

    [Test]
    public void Untagged_OK_HIGHESTMODSEQ_and_ALERT()
    {
        Assert.That(Write(new ImapStatusResponse(null, ImapStatus.Ok, ImapResponseCode.HighestModSeq(715194045007), "Highest")),
            Is.EqualTo("* OK [HIGHESTMODSEQ 715194045007] Highest\r\n"));
        Assert.That(Write(new ImapStatusResponse(null, ImapStatus.Ok, ImapResponseCode.Alert, "Maintenance at 02:00")),
            Is.EqualTo("* OK [ALERT] Maintenance at 02:00\r\n"));
    }

    [Test]
    public void Greeting_with_CAPABILITY_code() =>
        Assert.That(Write(new ImapStatusResponse(null, ImapStatus.Ok, ImapResponseCode.Capability(["IMAP4rev1", "IMAP4rev2", "STARTTLS", "LOGINDISABLED"]), "ready")),
            Is.EqualTo("* OK [CAPABILITY IMAP4rev1 IMAP4rev2 STARTTLS LOGINDISABLED] ready\r\n"));

    [Test]
    public void Syntax_error_becomes_tagged_BAD() =>
        Assert.That(Write(new ImapSyntaxError("x", "Unknown command FROB").ToResponse()), Is.EqualTo("x BAD Unknown command FROB\r\n"));

    [Test]
    public void Syntax_error_without_tag_is_untagged_BAD() =>
        Assert.That(Write(new ImapSyntaxError(null, "Missing tag").ToResponse()), Is.EqualTo("* BAD Missing tag\r\n"));

    [Test]
    public void Status_text_with_CRLF_is_refused() =>
        Assert.Throws<ArgumentException>(() => Write(new ImapStatusResponse("a", ImapStatus.Ok, null, "x\r\n* 1 EXISTS")));

    [Test]
    public void Continuation() => Assert.That(Write(new ImapContinuationResponse("Ready")), Is.EqualTo("+ Ready\r\n"));

    [Test]
    public void Untagged_data()
    {
        Assert.That(Write(new ImapExistsResponse(23)), Is.EqualTo("* 23 EXISTS\r\n"));
        Assert.That(Write(new ImapRecentResponse(1)), Is.EqualTo("* 1 RECENT\r\n"));
        Assert.That(Write(new ImapExpungeResponse(3)), Is.EqualTo("* 3 EXPUNGE\r\n"));
        Assert.That(Write(new ImapFlagsResponse(["\\Answered", "\\Seen", "$Forwarded"])), Is.EqualTo("* FLAGS (\\Answered \\Seen $Forwarded)\r\n"));
        Assert.That(Write(new ImapEnabledResponse(["CONDSTORE", "QRESYNC"])), Is.EqualTo("* ENABLED CONDSTORE QRESYNC\r\n"));
        Assert.That(Write(new ImapCapabilityResponse(["IMAP4rev2", "IDLE"])), Is.EqualTo("* CAPABILITY IMAP4rev2 IDLE\r\n"));
    }

    [Test]
    public void Vanished_earlier() =>
        Assert.That(Write(new ImapVanishedResponse(Set(300, 301, 302, 405, 411, 412), Earlier: true)), Is.EqualTo("* VANISHED (EARLIER) 300:302,405,411:412\r\n"));

    [Test]
    public void List_with_attributes_delimiter_and_names_needing_quotes()
    {
        Assert.That(Write(new ImapListResponse(["\\HasNoChildren"], '/', "INBOX")), Is.EqualTo("* LIST (\\HasNoChildren) \"/\" INBOX\r\n"));
        Assert.That(Write(new ImapListResponse(["\\Sent", "\\HasNoChildren"], '/', "Sent Items")), Is.EqualTo("* LIST (\\Sent \\HasNoChildren) \"/\" \"Sent Items\"\r\n"));
        Assert.That(Write(new ImapListResponse([], null, "NIL", Lsub: true)), Is.EqualTo("* LSUB () NIL \"NIL\"\r\n"));
        Assert.That(Write(new ImapListResponse([], '\\', "Entwürfe")), Is.EqualTo("* LIST () \"\\\\\" {9}\r\nEntwürfe\r\n"));
    }

    [Test]
    public void List_with_extended_data() =>
        Assert.That(Write(new ImapListResponse([], '/', "Foo", Extended: [ImapValue.NString("CHILDINFO"), ImapValue.List(ImapValue.NString("SUBSCRIBED"))])),
            Is.EqualTo("* LIST () \"/\" Foo (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n"));

    [Test]
    public void Thread_chains_are_flat_and_branches_adjacent()
    {
        static ImapThreadNode Node(uint? n, params ImapThreadNode[] children) => new(n, children);
        // RFC 5256 §4's example: (2)(3 6 (4 23)(44 7 96)), plus a missing parent whose replies are siblings.
        var threads = new[]
        {
            Node(2),
            Node(3, Node(6, Node(4, Node(23)), Node(44, Node(7, Node(96))))),
            Node(null, Node(8), Node(9)),
        };
        Assert.That(Write(new ImapThreadResponse(threads)), Is.EqualTo("* THREAD (2)(3 6 (4 23)(44 7 96))((8)(9))\r\n"));
        Assert.That(Write(new ImapThreadResponse([])), Is.EqualTo("* THREAD\r\n"));
    }

    [Test]
    public void Status_data() =>
        Assert.That(Write(new ImapStatusDataResponse("blurdybloop", [new(ImapStatusItem.Messages, 231), new(ImapStatusItem.UidNext, 44292), new(ImapStatusItem.HighestModSeq, 7)])),
            Is.EqualTo("* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292 HIGHESTMODSEQ 7)\r\n"));

    [Test]
    public void Search_plain_and_with_MODSEQ()
    {
        Assert.That(Write(new ImapSearchResponse([2, 84, 882])), Is.EqualTo("* SEARCH 2 84 882\r\n"));
        Assert.That(Write(new ImapSearchResponse([])), Is.EqualTo("* SEARCH\r\n"));
        Assert.That(Write(new ImapSearchResponse([2, 10], 917162500)), Is.EqualTo("* SEARCH 2 10 (MODSEQ 917162500)\r\n"));
    }

    [Test]
    public void Esearch_with_every_result() =>
        Assert.That(Write(new ImapESearchResponse("A282", Uid: true, Min: 2, Max: 47, Count: 4, All: Set(2, 10, 11, 47))),
            Is.EqualTo("* ESEARCH (TAG \"A282\") UID MIN 2 MAX 47 COUNT 4 ALL 2,10:11,47\r\n"));

    [Test]
    public void Esearch_for_nothing_found() =>
        Assert.That(Write(new ImapESearchResponse("A283", Uid: false)), Is.EqualTo("* ESEARCH (TAG \"A283\")\r\n"));

    [Test]
    public void Fetch_built_from_typed_parts() =>
        Assert.That(Write(new ImapFetchResponse(12,
        [
            new("UID", ImapValue.Number(4827313)),
            new("FLAGS", ImapValue.List(new ImapAtom("\\Seen"))),
            new("BODY[HEADER.FIELDS (Subject)]", new ImapString(Encoding.ASCII.GetBytes("Subject: hi\r\n\r\n"))),
            new("ENVELOPE", ImapValue.List(ImapValue.NString("Wed, 17 Jul 1996 02:23:25 -0700"), ImapValue.NString("say \"hi\""), ImapValue.Nil)),
        ])), Is.EqualTo("* 12 FETCH (UID 4827313 FLAGS (\\Seen) BODY[HEADER.FIELDS (Subject)] {15}\r\nSubject: hi\r\n\r\n " +
            "ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700\" \"say \\\"hi\\\"\" NIL))\r\n"));

    [Test]
    public void Binary_string_is_literal8() =>
        Assert.That(WriteValue(new ImapString(new byte[] { 1, 0, 2 }, Binary: true)), Is.EqualTo("~{3}\r\n\u0001\0\u0002"));

    [Test]
    public void String_with_NUL_must_be_binary() =>
        Assert.Throws<ArgumentException>(() => WriteValue(new ImapString(new byte[] { 0 })));

    [TestCase("", "\"\"")]
    [TestCase("plain", "\"plain\"")]
    [TestCase("back\\slash", "\"back\\\\slash\"")]
    [TestCase("line\r\nbreak", "{11}\r\nline\r\nbreak")]
    [TestCase("tab\there", "\"tab\there\"")]
    public void String_is_quoted_unless_it_needs_a_literal(string text, string expected) =>
        Assert.That(WriteValue(ImapValue.NString(text)), Is.EqualTo(expected));

    [Test]
    public void Long_string_is_a_literal() =>
        Assert.That(WriteValue(ImapValue.NString(new string('x', 1025))), Does.StartWith("{1025}\r\nxxx"));

    [Test]
    public void Null_string_is_NIL() => Assert.That(WriteValue(ImapValue.NString(null)), Is.EqualTo("NIL"));
}
