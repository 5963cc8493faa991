using SyncServer.Core.Model;

namespace SyncServer.Server.ActiveSync;

/// <summary>ActiveSync folder types (MS-ASCMD 2.2.3.186.3; client-requirements EAS-FS-02) of the store's collections.</summary>
public static class FolderTypes
{
    public const int UserMail = 12;
    public const int Outbox = 6;

    /// <summary>The server id of the Outbox that every client expects (type 6). Mail is sent with SendMail, so it stays empty.</summary>
    public const string OutboxServerId = "outbox";

    public static int Of(Collection collection) => (collection.Kind, collection.Role) switch
    {
        (CollectionKind.Mailbox, CollectionRole.Inbox) => 2,
        (CollectionKind.Mailbox, CollectionRole.Drafts) => 3,
        (CollectionKind.Mailbox, CollectionRole.Trash) => 4,
        (CollectionKind.Mailbox, CollectionRole.Sent) => 5,
        (CollectionKind.Mailbox, _) => UserMail,
        (CollectionKind.Tasks, CollectionRole.DefaultTasks) => 7,
        (CollectionKind.Calendar, CollectionRole.DefaultCalendar) => 8,
        (CollectionKind.AddressBook, CollectionRole.DefaultAddressBook) => 9,
        (CollectionKind.Notes, _) => 17,
        (CollectionKind.Calendar, _) => 13,
        (CollectionKind.AddressBook, _) => 14,
        (CollectionKind.Tasks, _) => 15,
        _ => 18,
    };

    /// <summary>
    /// The collections a device sees. Part 1 of ActiveSync serves e-mail only: calendars, contacts and tasks join the
    /// hierarchy when their Sync classes exist, so that a phone never gets folders it cannot sync.
    /// </summary>
    public static bool IsServed(Collection collection) => collection.Kind == CollectionKind.Mailbox;
}
