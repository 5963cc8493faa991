using SyncServer.Protocols.Imap;
using static SyncServer.Protocols.Tests.Imap.ImapParsing;

namespace SyncServer.Protocols.Tests.Imap;

public class ImapCommandParserTests
{
    [TestCase("a CAPABILITY\r\n", typeof(Capability))]
    [TestCase("a noop\r\n", typeof(Noop))]
    [TestCase("a LOGOUT\r\n", typeof(Logout))]
    [TestCase("a STARTTLS\r\n", typeof(StartTls))]
    [TestCase("a NAMESPACE\r\n", typeof(Namespace))]
    [TestCase("a IDLE\r\n", typeof(Idle))]
    [TestCase("a CHECK\r\n", typeof(Check))]
    [TestCase("a CLOSE\r\n", typeof(Close))]
    [TestCase("a UNSELECT\r\n", typeof(Unselect))]
    [TestCase("a EXPUNGE\r\n", typeof(Expunge))]
    public void Commands_without_arguments(string line, Type expected) =>
        Assert.That(Command<ImapCommand>(line), Is.TypeOf(expected).With.Property("Tag").EqualTo("a"));

    [TestCase("a NOOP now\r\n")]
    [TestCase("a LOGOUT \r\n")]
    [TestCase("a CAPABILITY x\r\n")]
    public void Arguments_where_none_are_allowed_are_BAD(string line) =>
        Assert.That(Error(line).Message, Is.EqualTo("Unexpected text at end of command"));

    [TestCase("a LOGIN alice secret\r\n", "alice", "secret")]
    [TestCase("a LOGIN \"al ice\" \"se\\\"c\\\\ret\"\r\n", "al ice", "se\"c\\ret")]
    [TestCase("a LOGIN {5+}\r\nalice \"\"\r\n", "alice", "")]
    public void Login_with_atoms_quoted_strings_and_literals(string line, string user, string password) =>
        Assert.That(Command<Login>(line), Is.EqualTo(new Login("a", user, password)));

    [TestCase("a LOGIN alice\r\n")]
    [TestCase("a LOGIN \"alice\r\n")]
    [TestCase("a LOGIN \"a\\lice\" x\r\n")]
    [TestCase("a LOGIN alice  secret\r\n")]
    public void Login_invalid_forms_are_BAD(string line) => Assert.That(Error(line).Tag, Is.EqualTo("a"));

    [Test]
    public void Login_never_prints_its_password() =>
        Assert.That(new Login("a", "alice", "hunter2").ToString(), Does.Not.Contain("hunter2"));

    [TestCase("a AUTHENTICATE PLAIN\r\n", "PLAIN", null)]
    [TestCase("a AUTHENTICATE plain AGFsaWNlAHNlY3JldA==\r\n", "PLAIN", "\0alice\0secret")]
    [TestCase("a AUTHENTICATE EXTERNAL =\r\n", "EXTERNAL", "")]
    public void Authenticate_with_SASL_IR(string line, string mechanism, string? response)
    {
        var authenticate = Command<Authenticate>(line);
        Assert.That(authenticate.Mechanism, Is.EqualTo(mechanism));
        Assert.That(authenticate.InitialResponse is null ? null : System.Text.Encoding.UTF8.GetString(authenticate.InitialResponse), Is.EqualTo(response));
    }

    [Test]
    public void Authenticate_with_invalid_base64_is_BAD() =>
        Assert.That(Error("a AUTHENTICATE PLAIN AG!=\r\n").Message, Is.EqualTo("Initial response is not base64"));

    [Test]
    public void Enable_lists_capabilities_upper_cased() =>
        Assert.That(Command<Enable>("a ENABLE IMAP4rev2 condstore\r\n").Capabilities, Is.EqualTo(new[] { "IMAP4REV2", "CONDSTORE" }));

    [Test]
    public void Enable_without_capability_is_BAD() => Assert.That(Error("a ENABLE\r\n").Tag, Is.EqualTo("a"));

    [Test]
    public void Id_with_fields_and_NIL_value()
    {
        var id = Command<Id>("a ID (\"name\" \"Thunderbird\" \"version\" NIL)\r\n");
        Assert.That(id.Fields, Is.EqualTo(new[] { new KeyValuePair<string, string?>("name", "Thunderbird"), new("version", null) }));
    }

    [Test]
    public void Id_NIL() => Assert.That(Command<Id>("a ID NIL\r\n").Fields, Is.Null);

    [Test]
    public void Select_plain() => Assert.That(Command<Select>("a SELECT INBOX\r\n"), Is.EqualTo(new Select("a", "INBOX", false, false, null)));

    [Test]
    public void Examine_with_CONDSTORE() =>
        Assert.That(Command<Select>("a EXAMINE \"Sent Items\" (CONDSTORE)\r\n"), Is.EqualTo(new Select("a", "Sent Items", true, true, null)));

    [Test]
    public void Select_QRESYNC_with_known_uids_and_sequence_match_data()
    {
        var select = Command<Select>("a SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541 (1:20 41:60)))\r\n");
        Assert.That(select.QResync!.UidValidity, Is.EqualTo(67890007u));
        Assert.That(select.QResync.ModSeq, Is.EqualTo(20050715194045000ul));
        Assert.That(select.QResync.KnownUids!.ToString(), Is.EqualTo("41,43:211,214:541"));
        Assert.That((select.QResync.SampleSequenceNumbers!.ToString(), select.QResync.SampleUids!.ToString()), Is.EqualTo(("1:20", "41:60")));
    }

    [Test]
    public void Select_QRESYNC_with_only_sequence_match_data() =>
        Assert.That(Command<Select>("a SELECT INBOX (QRESYNC (1 2 (1 5)))\r\n").QResync!.KnownUids, Is.Null);

    [TestCase("a SELECT\r\n")]
    [TestCase("a SELECT INBOX (FOO)\r\n")]
    [TestCase("a SELECT INBOX (QRESYNC (0 1))\r\n")]
    [TestCase("a SELECT INBOX ()\r\n")]
    public void Select_invalid_forms_are_BAD(string line) => Assert.That(Error(line).Tag, Is.EqualTo("a"));

    [Test]
    public void Create_with_USE_special_use() =>
        Assert.That(Command<Create>("a CREATE Archive (USE (\\Archive))\r\n").SpecialUse, Is.EqualTo(new[] { "\\Archive" }));

    [Test]
    public void Create_USE_with_a_keyword_is_BAD() => Assert.That(Error("a CREATE X (USE (Junk))\r\n").Tag, Is.EqualTo("a"));

    [Test]
    public void Rename_Delete_Subscribe_Unsubscribe()
    {
        Assert.That(Command<Rename>("a RENAME old \"new name\"\r\n"), Is.EqualTo(new Rename("a", "old", "new name")));
        Assert.That(Command<Delete>("a DELETE x\r\n"), Is.EqualTo(new Delete("a", "x")));
        Assert.That(Command<Subscribe>("a SUBSCRIBE x\r\n"), Is.EqualTo(new Subscribe("a", "x")));
        Assert.That(Command<Unsubscribe>("a UNSUBSCRIBE x\r\n"), Is.EqualTo(new Unsubscribe("a", "x")));
    }

    [Test]
    public void List_basic_with_wildcards()
    {
        var list = Command<List>("a LIST \"\" %/*\r\n");
        Assert.That((list.Reference, list.Patterns.Single(), list.Selection, list.Return), Is.EqualTo(("", "%/*", ListSelection.None, ListReturn.None)));
    }

    [Test]
    public void List_extended_selection_patterns_and_RETURN_STATUS()
    {
        var list = Command<List>("a LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (INBOX* Sent) RETURN (CHILDREN SPECIAL-USE STATUS (MESSAGES UNSEEN))\r\n");
        Assert.That(list.Selection, Is.EqualTo(ListSelection.Subscribed | ListSelection.RecursiveMatch));
        Assert.That(list.Patterns, Is.EqualTo(new[] { "INBOX*", "Sent" }));
        Assert.That(list.Return, Is.EqualTo(ListReturn.Children | ListReturn.SpecialUse | ListReturn.Status));
        Assert.That(list.StatusItems, Is.EqualTo(new[] { ImapStatusItem.Messages, ImapStatusItem.Unseen }));
    }

    [Test]
    public void List_SPECIAL_USE_selection_and_empty_RETURN()
    {
        var list = Command<List>("a LIST (SPECIAL-USE) \"\" * RETURN ()\r\n");
        Assert.That((list.Selection, list.Return), Is.EqualTo((ListSelection.SpecialUse, ListReturn.None)));
    }

    [TestCase("a LIST (RECURSIVEMATCH) \"\" *\r\n")]
    [TestCase("a LIST \"\"\r\n")]
    [TestCase("a LIST \"\" * RETURN (BOGUS)\r\n")]
    [TestCase("a LIST \"\" * (CHILDREN)\r\n")]
    public void List_invalid_forms_are_BAD(string line) => Assert.That(Error(line).Tag, Is.EqualTo("a"));

    [Test]
    public void Lsub_reference_and_pattern() => Assert.That(Command<Lsub>("a LSUB \"\" *\r\n"), Is.EqualTo(new Lsub("a", "", "*")));

    [Test]
    public void Status_with_every_item()
    {
        var status = Command<Status>("a STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE RECENT HIGHESTMODSEQ)\r\n");
        Assert.That(status.Items, Is.EqualTo(Enum.GetValues<ImapStatusItem>()));
    }

    [TestCase("a STATUS INBOX ()\r\n")]
    [TestCase("a STATUS INBOX (FOO)\r\n")]
    [TestCase("a STATUS INBOX MESSAGES\r\n")]
    public void Status_invalid_forms_are_BAD(string line) => Assert.That(Error(line).Tag, Is.EqualTo("a"));

    [Test]
    public void Append_with_flags_and_date_time()
    {
        var (append, _) = Append("a APPEND saved-messages (\\Seen $Forwarded) \" 7-Feb-1994 21:52:25 -0800\" {5}\r\nhello\r\n");
        Assert.That(append.Mailbox, Is.EqualTo("saved-messages"));
        Assert.That(append.Flags, Is.EqualTo(new[] { "\\Seen", "$Forwarded" }));
        Assert.That(append.InternalDate, Is.EqualTo(new DateTimeOffset(1994, 2, 7, 21, 52, 25, TimeSpan.FromHours(-8))));
        Assert.That(append.Binary, Is.False);
    }

    [TestCase("a APPEND INBOX \"hello\"\r\n")]
    [TestCase("a APPEND INBOX \"31-Feb-1994 21:52:25 -0800\" {1+}\r\nx\r\n")]
    [TestCase("a APPEND INBOX \"7-Feb-1994 21:52:25 0800\" {1+}\r\nx\r\n")]
    [TestCase("a APPEND INBOX (\\Seen {1+}\r\nx\r\n")]
    public void Append_invalid_forms_are_BAD(string line) => Assert.That(Error(line).Tag, Is.EqualTo("a"));

    [Test]
    public void Uid_expunge_takes_a_uid_set() =>
        Assert.That(Command<Expunge>("a UID EXPUNGE 3000:3002\r\n").Uids!.ToString(), Is.EqualTo("3000:3002"));

    [TestCase("a UID FROB 1\r\n")]
    [TestCase("a UID EXPUNGE\r\n")]
    public void Uid_with_unknown_or_incomplete_command_is_BAD(string line) => Assert.That(Error(line).Tag, Is.EqualTo("a"));

    [Test]
    public void Copy_and_uid_move()
    {
        Assert.That(Command<Copy>("a COPY 2:4 MEETING\r\n"), Has.Property("Uid").False.And.Property("Mailbox").EqualTo("MEETING"));
        Assert.That(Command<Move>("a UID MOVE 42:69 foo\r\n"), Has.Property("Uid").True.And.Property("Set").EqualTo(
            new ImapSequenceSet([new ImapSequenceRange(42, 69)])));
    }

    [TestCase("a STORE 2:4 +FLAGS (\\Deleted)\r\n", StoreMode.Add, false)]
    [TestCase("a STORE 2:4 -FLAGS.SILENT \\Deleted\r\n", StoreMode.Remove, true)]
    [TestCase("a STORE 2:4 flags.silent (\\Deleted)\r\n", StoreMode.Replace, true)]
    public void Store_modes(string line, StoreMode mode, bool silent)
    {
        var store = Command<Store>(line);
        Assert.That((store.Mode, store.Silent, store.Flags.Single()), Is.EqualTo((mode, silent, "\\Deleted")));
    }

    [Test]
    public void Uid_store_UNCHANGEDSINCE_with_several_bare_flags()
    {
        var store = Command<Store>("a UID STORE 1,3 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT \\Seen $Label1\r\n");
        Assert.That((store.Uid, store.UnchangedSince), Is.EqualTo((true, 320162338ul)));
        Assert.That(store.Flags, Is.EqualTo(new[] { "\\Seen", "$Label1" }));
    }

    [TestCase("a STORE 1 FLAGS\r\n")]
    [TestCase("a STORE 1 +FLAG (\\Seen)\r\n")]
    [TestCase("a STORE 0 FLAGS (\\Seen)\r\n")]
    [TestCase("a STORE 1 (UNCHANGEDSINCE) FLAGS (\\Seen)\r\n")]
    public void Store_invalid_forms_are_BAD(string line) => Assert.That(Error(line).Tag, Is.EqualTo("a"));

    [Test]
    public void Sort_with_reverse_and_charset()
    {
        var sort = Command<Sort>("a UID SORT (REVERSE ARRIVAL SUBJECT) utf-8 UNSEEN\r\n");
        Assert.That(sort.Criteria, Is.EqualTo(new[] { new SortCriterion(SortKey.Arrival, true), new SortCriterion(SortKey.Subject, false) }));
        Assert.That((sort.Uid, sort.Charset, sort.Search), Is.EqualTo((true, "UTF-8", (ImapSearchKey)new SearchFlag("\\Seen", false))));
    }

    [TestCase("a SORT (ARRIVAL) ALL\r\n")]
    [TestCase("a SORT () UTF-8 ALL\r\n")]
    [TestCase("a SORT (COLOUR) UTF-8 ALL\r\n")]
    public void Sort_invalid_forms_are_BAD(string line) => Assert.That(Error(line).Tag, Is.EqualTo("a"));

    [Test]
    public void Thread_references() =>
        Assert.That(Command<ThreadCommand>("a THREAD REFERENCES US-ASCII ALL\r\n"), Is.EqualTo(new ThreadCommand("a", false, "REFERENCES", "US-ASCII", new SearchAll())));

    [Test]
    public void Quota_commands()
    {
        Assert.That(Command<GetQuota>("a GETQUOTA \"\"\r\n"), Is.EqualTo(new GetQuota("a", "")));
        Assert.That(Command<GetQuotaRoot>("a GETQUOTAROOT INBOX\r\n"), Is.EqualTo(new GetQuotaRoot("a", "INBOX")));
        Assert.That(Command<SetQuota>("a SETQUOTA \"\" (STORAGE 512 message 100)\r\n").Limits,
            Is.EqualTo(new[] { new KeyValuePair<string, ulong>("STORAGE", 512), new("MESSAGE", 100) }));
    }

    [Test]
    public void Acl_commands()
    {
        Assert.That(Command<SetAcl>("a SETACL INBOX/Drafts Fred +lrs\r\n"), Is.EqualTo(new SetAcl("a", "INBOX/Drafts", "Fred", "+lrs")));
        Assert.That(Command<DeleteAcl>("a DELETEACL INBOX Fred\r\n"), Is.EqualTo(new DeleteAcl("a", "INBOX", "Fred")));
        Assert.That(Command<GetAcl>("a GETACL INBOX\r\n"), Is.EqualTo(new GetAcl("a", "INBOX")));
        Assert.That(Command<ListRights>("a LISTRIGHTS ~/Mail/saved smith\r\n"), Is.EqualTo(new ListRights("a", "~/Mail/saved", "smith")));
        Assert.That(Command<MyRights>("a MYRIGHTS INBOX\r\n"), Is.EqualTo(new MyRights("a", "INBOX")));
    }

    [Test]
    public void GetMetadata_with_options_and_entry_list()
    {
        var get = Command<GetMetadata>("a GETMETADATA (MAXSIZE 1024 DEPTH infinity) INBOX (/shared/comment /private/comment)\r\n");
        Assert.That((get.MaxSize, get.Depth, get.Entries.Count), Is.EqualTo(((ulong?)1024, MetadataDepth.Infinity, 2)));
    }

    [Test]
    public void GetMetadata_of_the_server_with_one_entry() =>
        Assert.That(Command<GetMetadata>("a GETMETADATA \"\" /shared/admin\r\n").Entries, Is.EqualTo(new[] { "/shared/admin" }));

    [Test]
    public void SetMetadata_with_value_literal_and_NIL()
    {
        var set = Command<SetMetadata>("a SETMETADATA INBOX (/private/comment {3+}\r\nhi! /shared/comment NIL)\r\n");
        Assert.That(Describe(set.Entries), Is.EqualTo("[KeyValuePair`2{Key=\"/private/comment\", Value=<hi!>}, KeyValuePair`2{Key=\"/shared/comment\", Value=null}]"));
    }

    [Test]
    public void SetMetadata_takes_an_atom_value_as_MailKit_sends_it()
    {
        var set = Command<SetMetadata>("a SETMETADATA INBOX (/private/comment carol's)\r\n");
        Assert.That(Describe(set.Entries), Is.EqualTo("[KeyValuePair`2{Key=\"/private/comment\", Value=<carol's>}]"));
    }

    [Test]
    public void Compress_deflate() => Assert.That(Command<Compress>("a COMPRESS deflate\r\n").Mechanism, Is.EqualTo("DEFLATE"));

    [Test]
    public void Invalid_utf8_in_quoted_string_is_BAD() =>
        Assert.That(ParseAll([.. "a SELECT \""u8, 0xC3, 0x28, .. "\"\r\n"u8], ImapParserLimits.Default).Single(),
            Is.InstanceOf<ImapSyntaxError>().With.Property("Message").EqualTo("String is not valid UTF-8"));

    [Test]
    public void Utf8_mailbox_name_in_quoted_string() =>
        Assert.That(Command<Select>("a SELECT \"Entwürfe\"\r\n").Mailbox, Is.EqualTo("Entwürfe"));
}
