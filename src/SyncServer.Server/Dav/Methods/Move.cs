namespace SyncServer.Server.Dav.Methods;

/// <summary>MOVE (RFC 4918 §9.9) of a member between the user's collections; the same name keeps the ItemId.</summary>
public static class Move
{
    public static Task HandleAsync(DavContext context) => MemberTransfer.TransferAsync(context, move: true);
}
