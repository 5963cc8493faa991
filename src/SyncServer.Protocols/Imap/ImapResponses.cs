namespace SyncServer.Protocols.Imap;

/// <summary>A server response (RFC 9051 §7), serialised by <see cref="ImapResponseWriter"/>.</summary>
public abstract record ImapResponse;

/// <summary>
/// OK/NO/BAD/PREAUTH/BYE with an optional response code: tagged, or untagged (<c>*</c>) when
/// <see cref="Tag"/> is null.
/// </summary>
public sealed record ImapStatusResponse(string? Tag, ImapStatus Status, ImapResponseCode? Code, string Text) : ImapResponse;

/// <summary><c>+ text</c>: the command continuation request (literals, AUTHENTICATE, IDLE).</summary>
public sealed record ImapContinuationResponse(string Text) : ImapResponse;

/// <summary><c>* CAPABILITY …</c>.</summary>
public sealed record ImapCapabilityResponse(IReadOnlyList<string> Capabilities) : ImapResponse;

/// <summary><c>* ENABLED …</c> (RFC 5161).</summary>
public sealed record ImapEnabledResponse(IReadOnlyList<string> Capabilities) : ImapResponse;

/// <summary><c>* FLAGS (…)</c>.</summary>
public sealed record ImapFlagsResponse(IReadOnlyList<string> Flags) : ImapResponse;

/// <summary><c>* n EXISTS</c>.</summary>
public sealed record ImapExistsResponse(uint Count) : ImapResponse;

/// <summary><c>* n RECENT</c> (rev1 only).</summary>
public sealed record ImapRecentResponse(uint Count) : ImapResponse;

/// <summary><c>* n EXPUNGE</c>.</summary>
public sealed record ImapExpungeResponse(uint SequenceNumber) : ImapResponse;

/// <summary><c>* VANISHED [(EARLIER)] uids</c> (RFC 7162 §3.2.10).</summary>
public sealed record ImapVanishedResponse(ImapSequenceSet Uids, bool Earlier) : ImapResponse;

/// <summary>
/// <c>* LIST (attributes) delimiter mailbox</c>, or <c>* LSUB …</c>. <see cref="Mailbox"/> is in wire form
/// (see <see cref="ImapMailboxName.Encode"/>); <see cref="Delimiter"/> null is NIL (a flat namespace).
/// <see cref="Extended"/>: the mbox-list-extended tags and values of LIST-EXTENDED (RFC 5258 §9), written in
/// parentheses, e.g. ["CHILDINFO", ("SUBSCRIBED")] as <c>("CHILDINFO" ("SUBSCRIBED"))</c>.
/// </summary>
public sealed record ImapListResponse(
    IReadOnlyList<string> Attributes, char? Delimiter, string Mailbox, bool Lsub = false, IReadOnlyList<ImapValue>? Extended = null) : ImapResponse;

/// <summary><c>* STATUS mailbox (item value …)</c>; <see cref="Mailbox"/> in wire form.</summary>
public sealed record ImapStatusDataResponse(string Mailbox, IReadOnlyList<KeyValuePair<ImapStatusItem, ulong>> Items) : ImapResponse;

/// <summary><c>* SEARCH n …</c>, with <c>(MODSEQ n)</c> when the search used MODSEQ (RFC 7162 §3.1.5).</summary>
public sealed record ImapSearchResponse(IReadOnlyList<uint> Numbers, ulong? HighestModSeq = null) : ImapResponse;

/// <summary><c>* ESEARCH (TAG "t") [UID] MIN n MAX n COUNT n ALL set [MODSEQ n]</c> (RFC 4731 §3.1).</summary>
public sealed record ImapESearchResponse(
    string? Tag, bool Uid, uint? Min = null, uint? Max = null, uint? Count = null, ImapSequenceSet? All = null,
    ulong? HighestModSeq = null) : ImapResponse;

/// <summary><c>* n FETCH (name value …)</c>; names are written as given, e.g. <c>BODY[1.MIME]&lt;0&gt;</c>.</summary>
public sealed record ImapFetchResponse(uint SequenceNumber, IReadOnlyList<KeyValuePair<string, ImapValue>> Items) : ImapResponse;

/// <summary>
/// <c>* NAME value …</c> for untagged data without a type of its own, e.g. <c>* ID (…)</c> (RFC 2971) or
/// <c>* NAMESPACE ((…)) NIL NIL</c> (RFC 2342).
/// </summary>
public sealed record ImapUntaggedDataResponse(string Name, IReadOnlyList<ImapValue> Values) : ImapResponse;

/// <summary>
/// One node of a THREAD answer (RFC 5256 §4): a message (<see cref="Number"/>) or, from REFERENCES, a missing parent
/// (null) whose replies are siblings. A chain of single replies is written flat, branches as adjacent lists.
/// </summary>
public sealed record ImapThreadNode(uint? Number, IReadOnlyList<ImapThreadNode> Children);

/// <summary><c>* THREAD (1 2)(3 (4)(5))</c>: one thread-list per thread root.</summary>
public sealed record ImapThreadResponse(IReadOnlyList<ImapThreadNode> Threads) : ImapResponse;
