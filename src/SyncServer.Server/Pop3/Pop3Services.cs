using SyncServer.Core.Store;
using SyncServer.Protocols.Pop3;
using SyncServer.Server.Hosting;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Pop3;

/// <summary>Timers and limits of POP3 sessions.</summary>
public sealed record Pop3Options
{
    public Pop3ParserLimits Limits { get; init; } = Pop3ParserLimits.Default;

    /// <summary>RFC 1939 §3: an inactivity autologout timer of at least 10 minutes.</summary>
    public TimeSpan AutologoutTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The TLS handshake after STLS must not hold a connection for the full autologout time.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>What every POP3 session uses; one instance, shared. <c>Lifetime.ApplicationStopping</c> closes the sessions.</summary>
public sealed record Pop3Services(
    IStore Store, IBlobStore Blobs, Authenticator Authenticator, ServerCertificate Certificate, TimeProvider Time,
    Pop3Options Options, ILogger<Pop3Services> Logger, IHostApplicationLifetime Lifetime);
