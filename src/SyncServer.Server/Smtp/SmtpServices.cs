using SyncServer.Core.Delivery;
using SyncServer.Server.Hosting;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Smtp;

/// <summary>The long-lived services the command handlers use; one instance per server, from DI.</summary>
public sealed record SmtpServices(
    SmtpOptions Options,
    IDeliveryTarget Delivery,
    Authenticator Authenticator,
    ServerCertificate Certificate,
    TimeProvider Time,
    ILogger<SmtpConnectionHandler> Logger);
