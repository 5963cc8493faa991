using System.Collections.Concurrent;
using SyncServer.Core.Model;

namespace SyncServer.Server.ActiveSync;

/// <summary>
/// The one outstanding Ping per (account, device) (client-requirements EAS-PING-05): any new request from the device
/// ends the Ping it left waiting, so two requests of one phone never wait side by side.
/// </summary>
public sealed class PingRegistry
{
    private readonly ConcurrentDictionary<(AccountId, string), CancellationTokenSource> _waiting = new();

    /// <summary>Registers a waiting Ping; the token is cancelled when the same device sends another request.</summary>
    public CancellationTokenSource Register(AccountId account, string deviceId)
    {
        var mine = new CancellationTokenSource();
        _waiting.AddOrUpdate((account, deviceId), mine, (_, previous) =>
        {
            previous.Cancel();
            return mine;
        });
        return mine;
    }

    /// <summary>Ends the device's waiting Ping, if any (called for every request the device makes).</summary>
    public void Interrupt(AccountId account, string deviceId)
    {
        if (_waiting.TryRemove((account, deviceId), out var waiting))
            waiting.Cancel();
    }

    /// <summary>Forgets a Ping that has answered (only if it is still the registered one).</summary>
    public void Unregister(AccountId account, string deviceId, CancellationTokenSource mine)
        => _waiting.TryRemove(new KeyValuePair<(AccountId, string), CancellationTokenSource>((account, deviceId), mine));
}
