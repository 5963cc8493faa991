using SyncServer.Core.Changes;
using SyncServer.Core.Store;
using SyncServer.Protocols.Imap;
using SyncServer.Server.Hosting;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Imap;

/// <summary>Timers and limits of IMAP sessions.</summary>
public sealed record ImapOptions(ImapParserLimits Limits)
{
    /// <summary>RFC 9051 §5.4: at least 30 minutes once authenticated (IDLE included).</summary>
    public TimeSpan AuthenticatedTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Shorter before login, so unauthenticated connections cannot be held open cheaply.</summary>
    public TimeSpan NotAuthenticatedTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public static ImapOptions From(SyncServerSettings settings) =>
        new(ImapParserLimits.Default with { MaxLiteralSize = settings.Limits.MaxMessageSize });
}

/// <summary>What every IMAP session uses; one instance, shared. <c>Lifetime.ApplicationStopping</c> ends the sessions (BYE).</summary>
public sealed record ImapServices(
    IStore Store, IDirectoryStore Directory, IMailboxSettingsStore MailboxSettings, IBlobStore Blobs, IChangeNotifier Notifier, Authenticator Authenticator, ServerCertificate Certificate,
    TimeProvider Time, ImapOptions Options, IHostApplicationLifetime Lifetime);
