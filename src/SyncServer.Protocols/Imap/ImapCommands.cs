namespace SyncServer.Protocols.Imap;

/// <summary>
/// A parsed command (RFC 9051 §6). Mailbox names are as sent (an astring); <see cref="ImapMailboxName"/>
/// decodes them as modified UTF-7 or UTF-8 depending on what the session enabled.
/// </summary>
public abstract record ImapCommand(string Tag) : ImapParseOutcome;

// Any state (RFC 9051 §6.1, RFC 2971 ID).
public sealed record Capability(string Tag) : ImapCommand(Tag);

public sealed record Noop(string Tag) : ImapCommand(Tag);

public sealed record Logout(string Tag) : ImapCommand(Tag);

/// <summary>ID: NIL (null) or field/value pairs (RFC 2971 §3.1); values may be NIL.</summary>
public sealed record Id(string Tag, IReadOnlyList<KeyValuePair<string, string?>>? Fields) : ImapCommand(Tag);

// Not authenticated (§6.2).
public sealed record StartTls(string Tag) : ImapCommand(Tag);

/// <summary>
/// AUTHENTICATE mechanism [initial-response] (RFC 4959 SASL-IR): <see cref="InitialResponse"/> is null when
/// absent and empty for "=". The session reads further SASL lines with <see cref="ImapCommandParser.TryParseLine"/>.
/// </summary>
public sealed record Authenticate(string Tag, string Mechanism, byte[]? InitialResponse) : ImapCommand(Tag);

public sealed record Login(string Tag, string UserName, string Password) : ImapCommand(Tag)
{
    // The password must never reach a log through a record's generated ToString.
    public override string ToString() => $"Login {{ Tag = {Tag}, UserName = {UserName} }}";
}

// Authenticated (§6.3).
public sealed record Enable(string Tag, IReadOnlyList<string> Capabilities) : ImapCommand(Tag);

/// <summary>QRESYNC select parameter (RFC 7162 §3.2.5.1): known UIDs and an optional sequence-to-UID sample.</summary>
public sealed record QResyncParameters(
    uint UidValidity, ulong ModSeq, ImapSequenceSet? KnownUids, ImapSequenceSet? SampleSequenceNumbers, ImapSequenceSet? SampleUids);

/// <summary>SELECT, or EXAMINE when <see cref="ReadOnly"/>, with the CONDSTORE/QRESYNC parameters.</summary>
public sealed record Select(string Tag, string Mailbox, bool ReadOnly, bool CondStore, QResyncParameters? QResync) : ImapCommand(Tag);

/// <summary>CREATE, with special-use attributes under CREATE-SPECIAL-USE (RFC 6154 §3).</summary>
public sealed record Create(string Tag, string Mailbox, IReadOnlyList<string> SpecialUse) : ImapCommand(Tag);

public sealed record Delete(string Tag, string Mailbox) : ImapCommand(Tag);

public sealed record Rename(string Tag, string Mailbox, string NewName) : ImapCommand(Tag);

public sealed record Subscribe(string Tag, string Mailbox) : ImapCommand(Tag);

public sealed record Unsubscribe(string Tag, string Mailbox) : ImapCommand(Tag);

[Flags]
public enum ListSelection { None = 0, Subscribed = 1, Remote = 2, RecursiveMatch = 4, SpecialUse = 8 }

[Flags]
public enum ListReturn { None = 0, Subscribed = 1, Children = 2, SpecialUse = 4, Status = 8 }

/// <summary>
/// LIST with the LIST-EXTENDED selection and return options (RFC 5258), SPECIAL-USE (RFC 6154) and LIST-STATUS
/// (RFC 5819: <see cref="StatusItems"/> when <see cref="ListReturn.Status"/> is asked for).
/// </summary>
public sealed record List(
    string Tag, string Reference, IReadOnlyList<string> Patterns, ListSelection Selection, ListReturn Return,
    IReadOnlyList<ImapStatusItem> StatusItems) : ImapCommand(Tag);

public sealed record Lsub(string Tag, string Reference, string Pattern) : ImapCommand(Tag);

public sealed record Namespace(string Tag) : ImapCommand(Tag);

public enum ImapStatusItem { Messages, UidNext, UidValidity, Unseen, Deleted, Size, Recent, HighestModSeq }

public sealed record Status(string Tag, string Mailbox, IReadOnlyList<ImapStatusItem> Items) : ImapCommand(Tag);

/// <summary>
/// APPEND: one message (MULTIAPPEND is not offered), handed out as soon as its message literal is announced: its
/// <see cref="Size"/> octets follow in the input, for the session to read as they arrive with
/// <see cref="ImapCommandParser.ReadAppendLiteral"/> and then <see cref="ImapCommandParser.TryParseAppendEnd"/>. A
/// <see cref="Synchronizing"/> literal is sent once the session answers <c>+</c> (RFC 9051 §7.5), which it may
/// instead refuse with a tagged NO (then <see cref="ImapCommandParser.AbandonAppend"/>). <see cref="Binary"/> when
/// sent as literal8 (RFC 3516 §4.4): the content may hold NUL and 8-bit data and the server must not alter it.
/// </summary>
public sealed record Append(
    string Tag, string Mailbox, IReadOnlyList<string> Flags, DateTimeOffset? InternalDate, long Size,
    bool Binary, bool Synchronizing) : ImapCommand(Tag);

/// <summary>IDLE (RFC 2177). The session then waits for the DONE line, read with <see cref="ImapCommandParser.TryParseLine"/>.</summary>
public sealed record Idle(string Tag) : ImapCommand(Tag);

// Selected (§6.4).
public sealed record Check(string Tag) : ImapCommand(Tag);

public sealed record Close(string Tag) : ImapCommand(Tag);

public sealed record Unselect(string Tag) : ImapCommand(Tag);

/// <summary>EXPUNGE, or UID EXPUNGE uid-set (RFC 4315 §2.1) when <see cref="Uids"/> is set.</summary>
public sealed record Expunge(string Tag, ImapSequenceSet? Uids) : ImapCommand(Tag);
