namespace SyncServer.Server.ActiveSync;

/// <summary>Common status codes every command may answer at its top-level Status (MS-ASCMD 2.2.2).</summary>
public static class ActiveSyncStatus
{
    public const int Success = 1;
    public const int ServerError = 110;
    public const int DeviceNotProvisioned = 142;
    public const int PolicyRefresh = 143;
    public const int InvalidPolicyKey = 144;
}
