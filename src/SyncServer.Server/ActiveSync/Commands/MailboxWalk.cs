using System.Text.Json;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// Where the first GetChanges of an e-mail folder stand in their walk of the mailbox by UID (and where the answer
/// before it stood, for a repeated key); kept as the sync state's data while the walk lasts, null after it.
/// </summary>
public sealed record MailboxWalk(uint? AfterUid, uint? PreviousAfterUid)
{
    public static MailboxWalk? Read(string? data) => data is null ? null : JsonSerializer.Deserialize<MailboxWalk>(data);

    public string Write() => JsonSerializer.Serialize(this);
}
