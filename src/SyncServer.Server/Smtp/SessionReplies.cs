using SyncServer.Core.Delivery;
using SyncServer.Protocols.Smtp;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Smtp;

/// <summary>The session's own replies (sequence, policy, limits), beside the wire-level ones in <see cref="SmtpReplies"/>.</summary>
internal static class SessionReplies
{
    public static readonly SmtpReply HeloFirst = new(503, "5.5.1", "Send HELO or EHLO first");
    public static readonly SmtpReply MailFirst = new(503, "5.5.1", "Send MAIL first");
    public static readonly SmtpReply NestedMail = new(503, "5.5.1", "Sender already given; RSET first");
    public static readonly SmtpReply DataAfterBdat = new(503, "5.5.1", "DATA cannot follow BDAT; RSET first");
    public static readonly SmtpReply RcptAfterBdat = new(503, "5.5.1", "RCPT cannot follow BDAT; RSET first");
    public static readonly SmtpReply NoValidRecipients = new(554, "5.5.1", "No valid recipients");
    public static readonly SmtpReply StartTlsFirst = new(530, "5.7.0", "Must issue a STARTTLS command first");
    public static readonly SmtpReply AuthenticationRequired = new(530, "5.7.0", "Authentication required");
    public static readonly SmtpReply BinaryMimeNotOffered = new(555, "5.5.4", "BODY=BINARYMIME is not offered");
    public static readonly SmtpReply TlsActive = new(503, "5.5.1", "TLS already active");
    public static readonly SmtpReply InjectionAfterStartTls = new(421, "4.7.0", "Data pipelined after STARTTLS, closing connection");
    public static readonly SmtpReply Accepted = new(250, "2.0.0", "Message accepted");

    public static SmtpReply From(DeliveryStatus status) => new(status.Code, status.EnhancedCode, status.Text);

    public static SmtpReply ChunkReceived(long octets) => new(250, "2.0.0", FormattableString.Invariant($"{octets} octets received"));

    /// <summary>Writes an SMTP reply to the connection (flushed with the next read).</summary>
    public static void Reply(this LineConnection connection, SmtpReply reply) => SmtpReplyWriter.Write(connection.Output, reply);
}
