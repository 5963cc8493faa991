using System.Net;

namespace SyncServer.Core.Delivery;

/// <summary>
/// The delivery transaction every sender uses (SMTP, submission, ActiveSync SendMail, CalDAV iMIP, the admin
/// UI): shaped like SMTP itself so each recipient gets its own answer. Local delivery, the outbound queue and
/// filters implement or wrap it.
/// </summary>
public interface IDeliveryTarget
{
    /// <summary>
    /// The MAIL FROM check: whether <paramref name="origin"/> may use <paramref name="mailFrom"/> as its reverse path.
    /// On the submission channel it must be the authenticated account's own address, an alias whose targets include
    /// that address, or an account the authenticated one has a <c>SendAs</c> grant on; otherwise
    /// <see cref="DeliveryStatus.SenderNotOwned"/> (553 5.7.1). Other channels always pass. The SMTP session
    /// answers MAIL FROM with a failed status and does not begin; <see cref="BeginAsync"/> repeats the check, so a
    /// caller that skips it gets that status for every recipient instead.
    /// </summary>
    Task<DeliveryStatus> CheckSenderAsync(DeliveryOrigin origin, string? mailFrom, CancellationToken cancellationToken);

    /// <summary>Starts a transaction for one message from <paramref name="mailFrom"/> (null for the null reverse path <c>&lt;&gt;</c>).</summary>
    Task<IDelivery> BeginAsync(DeliveryOrigin origin, string? mailFrom, DsnEnvelope? dsn, CancellationToken cancellationToken);
}

/// <summary>
/// One message on its way. Recipients first, then the body, then commit. Nothing is stored or queued until
/// <see cref="CommitAsync"/> returns; disposing without commit aborts and leaves nothing behind.
/// </summary>
public interface IDelivery : IAsyncDisposable
{
    /// <summary>
    /// Checks and accepts (or refuses) one recipient: directory resolution, relay rule, list posting policy, quota
    /// already exhausted. Accepted recipients are the ones committed.
    /// </summary>
    Task<DeliveryStatus> AddRecipientAsync(string address, DsnRecipient? dsn, CancellationToken cancellationToken);

    /// <summary>Appends body bytes as they arrive (never the whole message in memory).</summary>
    ValueTask WriteBodyAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the message durable for every accepted recipient (blob fsync'd, database committed) and returns one
    /// status per accepted recipient, in the order they were added. Only a 2xx status may be answered with 250; a
    /// recipient can still fail here on its own (quota exceeded by this message, its mailbox's write failed) while
    /// the others succeed. Called once; with no accepted recipient it stores nothing and returns an empty list.
    /// It throws only when nothing was stored (spool or blob I/O): answer every recipient 451 then.
    /// </summary>
    Task<IReadOnlyList<RecipientStatus>> CommitAsync(CancellationToken cancellationToken);
}

/// <summary>Who is handing the message over, as the checks (relay, posting policy, send-as) need it.</summary>
public sealed record DeliveryOrigin(
    DeliveryChannel Channel,
    IPAddress? RemoteAddress,
    string? HeloName,
    string? AuthenticatedAccount,
    bool IsTls);

public enum DeliveryChannel
{
    /// <summary>Port 25: mail from other servers for our domains.</summary>
    Mx = 1,
    /// <summary>Authenticated submission (587/465) and ActiveSync SendMail.</summary>
    Submission = 2,
    /// <summary>Made by the server itself (bounces, iMIP, notifications).</summary>
    Internal = 3,
}

/// <summary>An SMTP-style outcome: the reply code, the enhanced status code (RFC 3463) and a short human text.</summary>
public sealed record DeliveryStatus(int Code, string EnhancedCode, string Text)
{
    public bool IsSuccess => Code is >= 200 and < 300;
    public bool IsTransient => Code is >= 400 and < 500;

    public static readonly DeliveryStatus Accepted = new(250, "2.1.5", "recipient ok");
    public static readonly DeliveryStatus Delivered = new(250, "2.0.0", "delivered");
    public static readonly DeliveryStatus UnknownUser = new(550, "5.1.1", "no such user here");
    public static readonly DeliveryStatus RelayDenied = new(554, "5.7.1", "relay access denied");
    public static readonly DeliveryStatus NotAllowedToPost = new(550, "5.7.2", "sender not allowed to post to this list");
    public static readonly DeliveryStatus SenderNotOwned = new(553, "5.7.1", "sender address not owned by the authenticated user");
    public static readonly DeliveryStatus MailboxFullTemporary = new(452, "4.2.2", "mailbox full");
    public static readonly DeliveryStatus MailboxFull = new(552, "5.2.2", "mailbox full");
    public static readonly DeliveryStatus MessageTooBig = new(552, "5.3.4", "message too big");
    public static readonly DeliveryStatus TooManyRecipients = new(452, "4.5.3", "too many recipients");
    public static readonly DeliveryStatus TemporaryFailure = new(451, "4.3.0", "temporary failure, try again later");
    public static readonly DeliveryStatus BadRecipientAddress = new(501, "5.1.3", "bad recipient address syntax");
    public static readonly DeliveryStatus MailboxDisabled = new(550, "5.2.1", "mailbox disabled");
    public static readonly DeliveryStatus RoutingLoop = new(550, "5.4.6", "routing loop detected");
    public static readonly DeliveryStatus DmarcRejected = new(550, "5.7.1", "rejected by the sender domain's DMARC policy");
    public static readonly DeliveryStatus RelayUnavailable = new(451, "4.3.0", "cannot relay to this recipient now, try again later");
}

public sealed record RecipientStatus(string Address, DeliveryStatus Status);

/// <summary>DSN envelope parameters of MAIL FROM (RFC 3461).</summary>
public sealed record DsnEnvelope(bool ReturnFullMessage, string? EnvelopeId);

/// <summary>DSN parameters of one RCPT TO (RFC 3461): when to notify, and the original recipient.</summary>
public sealed record DsnRecipient(bool Never, bool OnSuccess, bool OnFailure, bool OnDelay, string? OriginalRecipient);
