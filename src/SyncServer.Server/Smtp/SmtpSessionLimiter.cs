using System.Net;

namespace SyncServer.Server.Smtp;

/// <summary>Counts open SMTP sessions per remote address so one host cannot take every connection slot.</summary>
public sealed class SmtpSessionLimiter(SmtpOptions options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, int> _open = [];

    /// <summary>A slot to dispose when the session ends, or null when the address already has its maximum.</summary>
    public IDisposable? TryEnter(IPAddress? remote)
    {
        if (remote is null)
            return new Slot(this, null);
        if (remote.IsIPv4MappedToIPv6)
            remote = remote.MapToIPv4();
        lock (_lock)
        {
            var open = _open.GetValueOrDefault(remote);
            if (open >= options.MaxSessionsPerAddress)
                return null;
            _open[remote] = open + 1;
        }
        return new Slot(this, remote);
    }

    private void Leave(IPAddress remote)
    {
        lock (_lock)
        {
            if (--_open[remote] == 0)
                _open.Remove(remote);
        }
    }

    private sealed class Slot(SmtpSessionLimiter limiter, IPAddress? remote) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed || remote is null)
                return;
            _disposed = true;
            limiter.Leave(remote);
        }
    }
}
