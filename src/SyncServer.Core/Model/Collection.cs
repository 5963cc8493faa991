namespace SyncServer.Core.Model;

public enum CollectionKind
{
    Mailbox = 1,
    Calendar = 2,
    Tasks = 3,
    AddressBook = 4,
    Notes = 5,
    /// <summary>A CalDAV scheduling inbox (RFC 6638 §2.2): the iTIP messages delivered to the user, never a calendar.</summary>
    ScheduleInbox = 6,

    /// <summary>A plain WebDAV collection (RFC 4918): any content, nested through <see cref="Collection.ParentId"/>.</summary>
    Files = 7,
}

/// <summary>The special use of a collection (IMAP SPECIAL-USE, ActiveSync folder types, DAV defaults).</summary>
public enum CollectionRole
{
    None = 0,
    Inbox = 1,
    Drafts = 2,
    Sent = 3,
    Trash = 4,
    Junk = 5,
    Archive = 6,
    DefaultCalendar = 7,
    DefaultTasks = 8,
    DefaultAddressBook = 9,
}

/// <summary>
/// A container of items. <see cref="Name"/> is the leaf name (IMAP hierarchy via <see cref="ParentId"/>;
/// for DAV collections it is also the URL segment).
/// </summary>
public sealed record Collection(
    CollectionId Id,
    AccountId AccountId,
    CollectionId? ParentId,
    string Name,
    CollectionKind Kind,
    CollectionRole Role,
    UidValidity UidValidity,
    ImapUid NextUid,
    ModSeq HighestModSeq,
    ModSeq CreatedModSeq);

/// <summary>What a caller gives to create a collection; the store assigns ids, UIDVALIDITY and modseqs.</summary>
public sealed record NewCollection(
    string Name,
    CollectionKind Kind,
    CollectionRole Role = CollectionRole.None,
    CollectionId? ParentId = null);

/// <summary>A client-set WebDAV property of a collection: its XML namespace and local name, and the whole element as XML text.</summary>
public sealed record CollectionProperty(string Namespace, string Name, string Xml);

/// <summary>A client-set WebDAV property of an item (a dead property, or a resource's content type): like <see cref="CollectionProperty"/>.</summary>
public sealed record ItemProperty(string Namespace, string Name, string Xml);
