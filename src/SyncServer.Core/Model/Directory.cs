namespace SyncServer.Core.Model;

public sealed record Domain(string Name, DateTimeOffset CreatedAt);

public enum AccountKind
{
    User = 1,
    /// <summary>A mailbox without its own login, reached through grants (e.g. info@, support@).</summary>
    Shared = 2,
}

public sealed record Account(
    AccountId Id,
    string Address,
    string DisplayName,
    string PasswordHash,
    long? QuotaBytes,
    long UsedBytes,
    bool Enabled,
    AccountKind Kind,
    ModSeq ModSeq,
    DateTimeOffset CreatedAt)
{
    public string Domain => Address[(Address.IndexOf('@') + 1)..];

    // Never let a record's generated ToString put the hash into a log line.
    public override string ToString() => $"Account {{ Id = {Id}, Address = {Address}, Kind = {Kind}, Enabled = {Enabled} }}";
}

/// <summary>An alias: <see cref="Source"/> is an address, or <c>@domain</c> for a catch-all.</summary>
public sealed record Alias(string Source, IReadOnlyList<string> Targets);

/// <summary>Who may post to a distribution list.</summary>
public enum PostingPolicy
{
    /// <summary>Only member addresses.</summary>
    Members = 1,
    /// <summary>Any sender in the list's own domain.</summary>
    Domain = 2,
    /// <summary>Only the listed allowed senders.</summary>
    Senders = 3,
    Anyone = 4,
}

public sealed record DistributionList(
    string Address,
    PostingPolicy Policy,
    IReadOnlyList<string> Members,
    IReadOnlyList<string> AllowedSenders);

/// <summary>
/// Rights a grant gives: the rights of RFC 4314 (IMAP ACL; DAV and ActiveSync read the coarse ones: Read, Write,
/// Delete, Administer) plus send-as and send-on-behalf for submission. The first four keep their original values.
/// </summary>
[Flags]
public enum GrantRights
{
    None = 0,
    /// <summary>r: read the items (SELECT, STATUS, FETCH, SEARCH, COPY from).</summary>
    Read = 1,
    /// <summary>w: change items; in IMAP, set flags and keywords other than \Seen and \Deleted.</summary>
    Write = 2,
    /// <summary>t: delete items; in IMAP, set or clear \Deleted.</summary>
    Delete = 4,
    /// <summary>a: administer, i.e. change the grants on it (SETACL, DELETEACL, GETACL, LISTRIGHTS).</summary>
    Administer = 8,
    SendAs = 16,
    SendOnBehalf = 32,
    /// <summary>l: see it in LIST.</summary>
    Lookup = 64,
    /// <summary>s: keep \Seen across sessions.</summary>
    Seen = 128,
    /// <summary>i: add items (APPEND, COPY or MOVE into).</summary>
    Insert = 256,
    /// <summary>p: post to its submission address (advisory).</summary>
    Post = 512,
    /// <summary>k: create child collections.</summary>
    CreateChild = 1024,
    /// <summary>x: delete or rename the collection.</summary>
    DeleteCollection = 2048,
    /// <summary>e: expunge deleted items.</summary>
    Expunge = 4096,
}

/// <summary>A grant of rights to <see cref="Grantee"/> on a whole account, or on one collection of it.</summary>
public sealed record Grant(
    AccountId Grantee,
    AccountId TargetAccount,
    CollectionId? TargetCollection,
    GrantRights Rights);

/// <summary>An administrator of the installation (the CLI, REST API and web UI), apart from mail accounts.</summary>
public sealed record Administrator(string Name, string PasswordHash, DateTimeOffset CreatedAt)
{
    public override string ToString() => $"Administrator {{ Name = {Name} }}";
}

/// <summary>A named app password of an account (the secret itself is never kept, only its digest).</summary>
public sealed record AppPassword(AccountId Account, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);
