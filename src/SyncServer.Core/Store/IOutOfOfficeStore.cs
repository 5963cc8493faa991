using SyncServer.Core.Model;

namespace SyncServer.Core.Store;

/// <summary>Each account's out-of-office setting (schema 0010); removing the account removes it.</summary>
public interface IOutOfOfficeStore
{
    /// <summary>The account's setting, or <see cref="OutOfOffice.Off"/> when it never set one.</summary>
    Task<OutOfOffice> GetAsync(AccountId account, CancellationToken cancellationToken);

    /// <summary>Replaces the account's setting, messages included.</summary>
    Task SetAsync(AccountId account, OutOfOffice setting, CancellationToken cancellationToken);
}
