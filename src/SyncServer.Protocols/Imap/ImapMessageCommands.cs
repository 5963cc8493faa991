namespace SyncServer.Protocols.Imap;

/// <summary>ESEARCH result options (RFC 4731 §3.1, RFC 5182 SAVE). An empty RETURN () means <see cref="All"/>.</summary>
[Flags]
public enum SearchReturn { None = 0, Min = 1, Max = 2, All = 4, Count = 8, Save = 16 }

/// <summary>
/// SEARCH / UID SEARCH. <see cref="Return"/> is null without RETURN: the client expects <c>* SEARCH</c>,
/// otherwise <c>* ESEARCH</c>.
/// </summary>
public sealed record Search(string Tag, bool Uid, SearchReturn? Return, string? Charset, ImapSearchKey Criteria) : ImapCommand(Tag);

/// <summary>FETCH / UID FETCH with the RFC 7162 modifiers CHANGEDSINCE and VANISHED (UID FETCH only).</summary>
public sealed record Fetch(
    string Tag, bool Uid, ImapSequenceSet Set, IReadOnlyList<ImapFetchAttribute> Attributes, ulong? ChangedSince,
    bool Vanished) : ImapCommand(Tag);

public enum StoreMode { Replace, Add, Remove }

/// <summary>STORE / UID STORE [(UNCHANGEDSINCE n)] FLAGS|+FLAGS|-FLAGS[.SILENT] flags.</summary>
public sealed record Store(
    string Tag, bool Uid, ImapSequenceSet Set, ulong? UnchangedSince, StoreMode Mode, bool Silent,
    IReadOnlyList<string> Flags) : ImapCommand(Tag);

/// <summary>COPY / UID COPY.</summary>
public sealed record Copy(string Tag, bool Uid, ImapSequenceSet Set, string Mailbox) : ImapCommand(Tag);

/// <summary>MOVE / UID MOVE (RFC 6851).</summary>
public sealed record Move(string Tag, bool Uid, ImapSequenceSet Set, string Mailbox) : ImapCommand(Tag);

public enum SortKey { Arrival, Cc, Date, From, Size, Subject, To, DisplayFrom, DisplayTo }

public sealed record SortCriterion(SortKey Key, bool Reverse);

/// <summary>SORT / UID SORT (RFC 5256 §3; DISPLAYFROM/DISPLAYTO from RFC 5957).</summary>
public sealed record Sort(
    string Tag, bool Uid, IReadOnlyList<SortCriterion> Criteria, string Charset, ImapSearchKey Search) : ImapCommand(Tag);

/// <summary>
/// THREAD / UID THREAD algorithm (REFERENCES, ORDEREDSUBJECT; upper-case) (RFC 5256 §3). Not named Thread:
/// System.Threading.Thread is in scope wherever implicit usings are.
/// </summary>
public sealed record ThreadCommand(string Tag, bool Uid, string Algorithm, string Charset, ImapSearchKey Search) : ImapCommand(Tag);
