using SyncServer.Core.Directory;
using SyncServer.Core.Model;

namespace SyncServer.Server.Dav.Nodes;

/// <summary>
/// Who sees a calendar or address book, and with what rights: its owner (every right), or a grantee of a share
/// (<see cref="SharingAdministration"/>): Read lets them read it, Write also write its members (DAV:write-content, bind,
/// unbind). Its properties and the collection itself stay the owner's to change.
/// </summary>
public sealed record CollectionAccess(Account Owner, GrantRights? SharedRights)
{
    public static CollectionAccess Own(Account owner) => new(owner, null);

    public static CollectionAccess Of(SharedCollection share) => new(share.Owner, share.Rights);

    public bool IsShared => SharedRights is not null;

    /// <summary>May PUT, DELETE, MOVE and COPY members.</summary>
    public bool CanWriteContent => SharedRights is not { } rights || rights.HasFlag(GrantRights.Write);
}
