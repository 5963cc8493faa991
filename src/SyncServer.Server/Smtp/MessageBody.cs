using System.Buffers;
using SyncServer.Core.Delivery;
using SyncServer.Protocols.Smtp;

namespace SyncServer.Server.Smtp;

/// <summary>One step of a body reader: <see cref="SmtpDataReader.TryRead"/> or <see cref="SmtpBdatReader.TryRead"/>.</summary>
internal delegate bool BodyStep(ref SequenceReader<byte> reader, IBufferWriter<byte> body);

/// <summary>
/// The part DATA and BDAT share: stream the message into the delivery as it arrives (never the whole message in
/// memory), then commit and give the one reply SMTP has for the transaction.
/// </summary>
internal static class MessageBody
{
    /// <summary>
    /// Reads until <paramref name="step"/> reports the end, writing the octets to <paramref name="delivery"/> (none
    /// when null: the octets are only drained). False when the connection closed first.
    /// </summary>
    public static async ValueTask<bool> ReadAsync(SmtpSession session, BodyStep step, IDelivery? delivery, CancellationToken cancellationToken)
    {
        var connection = session.Connection;
        var body = new ArrayBufferWriter<byte>();
        // A chunk of zero octets (BDAT 0 LAST) is complete before anything is read.
        if (Step(step, ReadOnlySequence<byte>.Empty, body, out _))
            return true;
        while (true)
        {
            var result = await connection.ReadAsync(session.Options.Timeouts.DataBlock, cancellationToken);
            var done = Step(step, result.Buffer, body, out var consumed);
            if (done)
                connection.Consume(consumed);
            else
                connection.NeedMore(consumed, result.Buffer.End);
            if (delivery is not null && body.WrittenCount > 0)
                await delivery.WriteBodyAsync(body.WrittenMemory, cancellationToken);
            body.ResetWrittenCount();
            if (done)
                return true;
            if (result.IsCompleted)
                return false;
        }
    }

    private static bool Step(BodyStep step, ReadOnlySequence<byte> buffer, ArrayBufferWriter<byte> body, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        var done = step(ref reader, body);
        consumed = reader.Position;
        return done;
    }

    /// <summary>Commits the transaction and answers; <c>250</c> only once <see cref="IDelivery.CommitAsync"/> has returned.</summary>
    public static async ValueTask CommitAsync(SmtpSession session, SmtpTransaction transaction, long octets, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(session.Options.Timeouts.Commit, session.Services.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        SmtpReply reply;
        try
        {
            var statuses = await transaction.Delivery.CommitAsync(linked.Token);
            Log.MessageCommitted(session.Services.Logger, session.RemoteAddress, session.Listener.Channel, octets,
                statuses.Count(s => s.Status.IsSuccess), statuses.Count);
            reply = Answer(statuses);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Disk, database or commit timeout: nothing was committed, so the client keeps the message and retries.
            Log.DeliveryFailed(session.Services.Logger, session.RemoteAddress, e);
            reply = SessionReplies.From(DeliveryStatus.TemporaryFailure);
        }
        await session.ResetTransactionAsync();
        session.Reply(reply);
    }

    /// <summary>
    /// SMTP has one reply after the data for all recipients (RFC 5321 §4.1.1.4; only LMTP has one each): 250 when
    /// all succeeded, the first failure when all failed. When some succeeded the answer must be 250, or the client
    /// would send the message again to those who already have it; the failed recipients are then reported to the
    /// sender by a bounce (an RFC 3464 DSN) that the outbound queue sends.
    /// </summary>
    private static SmtpReply Answer(IReadOnlyList<RecipientStatus> statuses)
    {
        if (statuses.Count == 0)
            return SessionReplies.NoValidRecipients;
        var firstFailure = statuses.FirstOrDefault(s => !s.Status.IsSuccess);
        var allFailed = statuses.All(s => !s.Status.IsSuccess);
        return allFailed ? SessionReplies.From(firstFailure!.Status) : SessionReplies.Accepted;
    }
}
