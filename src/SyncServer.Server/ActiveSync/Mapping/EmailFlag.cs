using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>
/// <c>email:Flag</c> (MS-ASEMAIL 2.2.2.34; client-requirements A.5.1) both ways. The status lives in IMAP flags, where
/// other clients see it: 2 (flagged) is <c>\Flagged</c>; 1 (complete) is the keyword <c>$Completed</c> without
/// <c>\Flagged</c> (an IMAP client shows the message unflagged, as Thunderbird does for a completed follow-up); 0, or
/// an empty <c>&lt;Flag/&gt;</c> from the client, clears both. What IMAP has no place for (FlagType, the task dates,
/// the reminder, CompleteTime, the flag's tasks:Subject and ordinal dates) is kept as the client sent it in an item
/// property (<see cref="EmailItemState.Namespace"/> <c>Flag</c>) and sent back while the status holds; a flag set
/// over IMAP has FlagType "Flag for follow up" and no dates.
/// </summary>
public static class EmailFlag
{
    public const string CompletedKeyword = "$Completed";
    public const string DefaultFlagType = "Flag for follow up";
    public const int Cleared = 0, Complete = 1, Flagged = 2;

    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;
    private static readonly XNamespace Tasks = ActiveSyncNamespaces.Tasks;

    /// <summary>The children of Flag in the order of MS-ASEMAIL 2.2.2.34 (Status goes second).</summary>
    private static readonly XName[] Order =
    [
        Tasks + "Subject", Email + "Status", Email + "FlagType", Tasks + "DateCompleted", Email + "CompleteTime", Tasks + "StartDate",
        Tasks + "DueDate", Tasks + "UtcStartDate", Tasks + "UtcDueDate", Tasks + "ReminderSet", Tasks + "ReminderTime", Tasks + "OrdinalDate",
        Tasks + "SubOrdinalDate",
    ];

    private static readonly XName[] CompletionOnly = [Tasks + "DateCompleted", Email + "CompleteTime"];

    public static int StatusOf(MailIndex mail)
        => mail.Flags.HasFlag(MailFlags.Flagged) ? Flagged
            : mail.Keywords.Contains(CompletedKeyword, StringComparer.OrdinalIgnoreCase) ? Complete
            : Cleared;

    /// <summary>The Flag element of a message: empty when cleared, else Status and the kept details that fit it.</summary>
    public static XElement Element(MailIndex mail, XElement? details)
    {
        var status = StatusOf(mail);
        if (status == Cleared)
            return new XElement(Email + "Flag");
        var kept = (details?.Elements() ?? [])
            .Where(e => Order.Contains(e.Name) && e.Name != Email + "Status" && (status == Complete || !CompletionOnly.Contains(e.Name)))
            .Select(e => new XElement(e))
            .ToList();
        if (status == Flagged && !kept.Any(e => e.Name == Email + "FlagType"))
            kept.Add(new XElement(Email + "FlagType", DefaultFlagType));
        kept.Add(new XElement(Email + "Status", status));
        return new XElement(Email + "Flag", kept.OrderBy(e => Array.IndexOf(Order, e.Name)));
    }

    /// <summary>
    /// The client's Flag applied to the IMAP flags, and the details to keep (null: none). An unknown Status is
    /// treated as the client's wish to clear, as an empty Flag is.
    /// </summary>
    public static (MailIndex Mail, XElement? Details) Apply(MailIndex mail, XElement flag)
    {
        var status = (string?)flag.Element(Email + "Status") switch { "1" => Complete, "2" => Flagged, _ => Cleared };
        var flags = status == Flagged ? mail.Flags | MailFlags.Flagged : mail.Flags & ~MailFlags.Flagged;
        var keywords = mail.Keywords.Where(k => !k.Equals(CompletedKeyword, StringComparison.OrdinalIgnoreCase)).ToList();
        if (status == Complete)
            keywords.Add(CompletedKeyword);
        var details = status == Cleared
            ? null
            : new XElement(Email + "Flag", flag.Elements().Where(e => Order.Contains(e.Name) && e.Name != Email + "Status").Select(e => new XElement(e)));
        return (mail with { Flags = flags, Keywords = keywords }, details is { HasElements: true } ? details : null);
    }
}
