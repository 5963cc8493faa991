namespace SyncServer.Server.Dav.Methods;

/// <summary>COPY (RFC 4918 §9.8) of a member into one of the user's collections of the same type.</summary>
public static class Copy
{
    public static Task HandleAsync(DavContext context) => MemberTransfer.TransferAsync(context, move: false);
}
