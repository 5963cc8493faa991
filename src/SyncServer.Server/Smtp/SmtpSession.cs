using System.Net;
using SyncServer.Core.Delivery;
using SyncServer.Protocols.Smtp;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Smtp;

/// <summary>Where a session stands (RFC 5321 §4.1.4 command order).</summary>
internal enum SmtpState
{
    /// <summary>Greeting sent; HELO/EHLO expected (again after STARTTLS, RFC 3207 §4.2).</summary>
    Connected,
    /// <summary>Greeted; no mail transaction open.</summary>
    Ready,
    /// <summary>MAIL accepted: RCPT, DATA or BDAT expected.</summary>
    Transaction,
    /// <summary>QUIT, a fatal error or a limit: the reply is flushed and the connection closed.</summary>
    Closed,
}

/// <summary>
/// One SMTP session: its state, the connection (whose pipes change after STARTTLS), who the client is, and the open
/// <see cref="SmtpTransaction"/>. Command handlers in <c>Commands/</c> act on it and answer through <see cref="Reply"/>.
/// </summary>
internal sealed class SmtpSession(LineConnection connection, SmtpListenerFeature listener, IPAddress? remoteAddress, SmtpServices services)
{
    public SmtpState State { get; set; } = SmtpState.Connected;
    public LineConnection Connection => connection;
    public SmtpListenerFeature Listener => listener;
    public IPAddress? RemoteAddress => remoteAddress;
    public SmtpServices Services => services;
    public SmtpOptions Options => services.Options;

    public string? HeloName { get; private set; }
    public bool IsExtended { get; private set; }
    public string? AuthenticatedAccount { get; set; }
    public SmtpTransaction? Transaction { get; private set; }
    public int Errors { get; private set; }

    /// <summary>AUTH is offered only where it is used (submission, SMTPS) and only over TLS (RFC 4954 §4, RFC 8314).</summary>
    public bool MayAuthenticate => listener.RequiresAuthentication && connection.IsTls && AuthenticatedAccount is null;

    public DeliveryOrigin Origin => new(listener.Channel, remoteAddress, HeloName, AuthenticatedAccount, connection.IsTls);

    /// <summary>Writes a reply (flushed before the next read); error replies count towards <see cref="SmtpOptions.MaxErrors"/>.</summary>
    public void Reply(SmtpReply reply)
    {
        if (reply.Code >= 400)
            Errors++;
        connection.Reply(reply);
    }

    public void Reply(DeliveryStatus status) => Reply(SessionReplies.From(status));

    public async ValueTask GreetAsync(string heloName, bool extended)
    {
        await ResetTransactionAsync(); // RFC 5321 §4.1.4: EHLO/HELO also ends any open transaction
        HeloName = heloName;
        IsExtended = extended;
        State = SmtpState.Ready;
    }

    public void Begin(IDelivery delivery, bool smtpUtf8)
    {
        Transaction = new SmtpTransaction(delivery, smtpUtf8);
        State = SmtpState.Transaction;
    }

    /// <summary>Aborts the open transaction, if any: nothing of it is stored (<see cref="IDelivery"/> without commit).</summary>
    public async ValueTask ResetTransactionAsync()
    {
        if (Transaction is { } transaction)
        {
            Transaction = null;
            await transaction.Delivery.DisposeAsync();
        }
        if (State == SmtpState.Transaction)
            State = SmtpState.Ready;
    }

    /// <summary>RFC 3207 §4.2: after the handshake the client starts over with EHLO; nothing learnt before is kept.</summary>
    public async ValueTask RestartAfterTlsAsync()
    {
        await ResetTransactionAsync();
        HeloName = null;
        IsExtended = false;
        State = SmtpState.Connected;
    }
}

/// <summary>One mail transaction: the delivery it feeds, and what MAIL and RCPT established.</summary>
internal sealed class SmtpTransaction(IDelivery delivery, bool smtpUtf8)
{
    public IDelivery Delivery => delivery;
    public bool SmtpUtf8 => smtpUtf8;
    public int AcceptedRecipients { get; set; }

    /// <summary>Set by the first BDAT; the message is then sent in chunks and DATA is out of sequence (RFC 3030 §2).</summary>
    public SmtpBdatReader? Chunks { get; set; }
}
