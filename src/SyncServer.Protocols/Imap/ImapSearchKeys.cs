namespace SyncServer.Protocols.Imap;

/// <summary>search-key (RFC 9051 §6.4.4, §9). Keys that RFC 9051 defines as shorthands are parsed into these.</summary>
public abstract record ImapSearchKey;

/// <summary>ALL.</summary>
public sealed record SearchAll : ImapSearchKey;

/// <summary>
/// A flag set or not: ANSWERED/UNANSWERED, DELETED, DRAFT, FLAGGED, SEEN, KEYWORD/UNKEYWORD, and the rev1
/// RECENT/OLD on \Recent (NEW is RECENT UNSEEN).
/// </summary>
public sealed record SearchFlag(string Flag, bool IsSet) : ImapSearchKey;

/// <summary>HEADER field string; BCC, CC, FROM, SUBJECT and TO are this with the field named. An empty
/// <see cref="Value"/> matches every message with the field.</summary>
public sealed record SearchHeader(string Field, string Value) : ImapSearchKey;

/// <summary>BODY string (body only) or TEXT string (header and body).</summary>
public sealed record SearchText(string Value, bool IncludeHeader) : ImapSearchKey;

public enum SearchDateField { Internal, Sent }

public enum SearchDateComparison { Before, On, Since }

/// <summary>BEFORE/ON/SINCE (internal date) and SENTBEFORE/SENTON/SENTSINCE (Date header), day granularity.</summary>
public sealed record SearchDate(SearchDateField Field, SearchDateComparison Comparison, DateOnly Date) : ImapSearchKey;

/// <summary>LARGER n (<see cref="Larger"/>) or SMALLER n, on RFC822.SIZE.</summary>
public sealed record SearchSize(bool Larger, ulong Size) : ImapSearchKey;

/// <summary>A sequence set (message numbers), or UID sequence-set when <see cref="Uid"/>.</summary>
public sealed record SearchSet(ImapSequenceSet Set, bool Uid) : ImapSearchKey;

/// <summary>MODSEQ [entry-name entry-type] mod-sequence (RFC 7162 §3.1.5): messages with a greater or equal mod-sequence.</summary>
public sealed record SearchModSeq(ulong ModSeq, string? EntryName, string? EntryType) : ImapSearchKey;

public sealed record SearchNot(ImapSearchKey Key) : ImapSearchKey;

public sealed record SearchOr(ImapSearchKey Left, ImapSearchKey Right) : ImapSearchKey;

/// <summary>All of the keys: a parenthesised list, or the top level of a SEARCH.</summary>
public sealed record SearchAnd(IReadOnlyList<ImapSearchKey> Keys) : ImapSearchKey;
