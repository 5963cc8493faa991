using SyncServer.Core.Mail;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Messages;

/// <summary>ENVELOPE, BODY and BODYSTRUCTURE (RFC 9051 §7.5.2) as <see cref="ImapValue"/>s from a stored structure.</summary>
public static class BodyStructureValue
{
    public static ImapValue Envelope(Envelope envelope) => ImapValue.List(
        ImapValue.NString(envelope.Date), ImapValue.NString(envelope.Subject),
        Addresses(envelope.From), Addresses(envelope.Sender), Addresses(envelope.ReplyTo),
        Addresses(envelope.To), Addresses(envelope.Cc), Addresses(envelope.Bcc),
        ImapValue.NString(envelope.InReplyTo), ImapValue.NString(envelope.MessageId));

    /// <summary>BODYSTRUCTURE with extension data when <paramref name="extensions"/>, else the BODY form.</summary>
    public static ImapValue Body(MimePartStructure part, bool extensions)
    {
        if (part.IsMultipart)
        {
            var items = part.Parts.Select(child => Body(child, extensions)).ToList();
            items.Add(ImapValue.NString(part.Subtype));
            if (extensions)
                items.AddRange([Parameters(part.Parameters), Disposition(part), ImapValue.NString(part.Language), ImapValue.NString(part.Location)]);
            return new ImapList(items);
        }
        var fields = new List<ImapValue>
        {
            ImapValue.NString(part.Type), ImapValue.NString(part.Subtype), Parameters(part.Parameters),
            ImapValue.NString(part.ContentId), ImapValue.NString(part.Description), ImapValue.NString(part.Encoding),
            ImapValue.Number((ulong)(part.End - part.HeadersEnd)),
        };
        if (part.Message is { } message)
            fields.AddRange([Envelope(message.Envelope), Body(message.Body, extensions), ImapValue.Number((ulong)part.Lines)]);
        else if (part.Type.Equals("text", StringComparison.OrdinalIgnoreCase))
            fields.Add(ImapValue.Number((ulong)part.Lines));
        if (extensions)
            fields.AddRange([ImapValue.NString(part.Md5), Disposition(part), ImapValue.NString(part.Language), ImapValue.NString(part.Location)]);
        return new ImapList(fields);
    }

    private static ImapValue Addresses(IReadOnlyList<EnvelopeAddress> addresses) =>
        addresses.Count == 0
            ? ImapValue.Nil
            : new ImapList([.. addresses.Select(a => ImapValue.List(ImapValue.NString(a.Name), ImapValue.Nil, ImapValue.NString(a.Mailbox), ImapValue.NString(a.Host)))]);

    private static ImapValue Parameters(IReadOnlyList<MimeParameter> parameters) =>
        parameters.Count == 0
            ? ImapValue.Nil
            : new ImapList([.. parameters.SelectMany(p => new[] { ImapValue.NString(p.Name), ImapValue.NString(p.Value) })]);

    private static ImapValue Disposition(MimePartStructure part) =>
        part.Disposition is null ? ImapValue.Nil : ImapValue.List(ImapValue.NString(part.Disposition), Parameters(part.DispositionParameters));
}
