namespace SyncServer.Protocols.Imap;

// QUOTA (RFC 9208 §4).
public sealed record GetQuota(string Tag, string QuotaRoot) : ImapCommand(Tag);

public sealed record GetQuotaRoot(string Tag, string Mailbox) : ImapCommand(Tag);

/// <summary>SETQUOTA root (resource limit …); resource names upper-case, e.g. STORAGE (in KiB), MESSAGE.</summary>
public sealed record SetQuota(string Tag, string QuotaRoot, IReadOnlyList<KeyValuePair<string, ulong>> Limits) : ImapCommand(Tag);

// ACL (RFC 4314 §3). Rights are the raw rights string, e.g. "+lrs" (a leading +/- modifies SETACL).
public sealed record SetAcl(string Tag, string Mailbox, string Identifier, string Rights) : ImapCommand(Tag);

public sealed record DeleteAcl(string Tag, string Mailbox, string Identifier) : ImapCommand(Tag);

public sealed record GetAcl(string Tag, string Mailbox) : ImapCommand(Tag);

public sealed record ListRights(string Tag, string Mailbox, string Identifier) : ImapCommand(Tag);

public sealed record MyRights(string Tag, string Mailbox) : ImapCommand(Tag);

public enum MetadataDepth { Zero, One, Infinity }

/// <summary>GETMETADATA [(MAXSIZE n DEPTH d)] mailbox entries (RFC 5464 §4.2); "" is the server itself.</summary>
public sealed record GetMetadata(
    string Tag, string Mailbox, IReadOnlyList<string> Entries, ulong? MaxSize, MetadataDepth Depth) : ImapCommand(Tag);

/// <summary>SETMETADATA mailbox (entry value …) (RFC 5464 §4.3); a null value removes the entry.</summary>
public sealed record SetMetadata(string Tag, string Mailbox, IReadOnlyList<KeyValuePair<string, byte[]?>> Entries) : ImapCommand(Tag);

/// <summary>COMPRESS mechanism (RFC 4978); DEFLATE is the only one defined.</summary>
public sealed record Compress(string Tag, string Mechanism) : ImapCommand(Tag);
