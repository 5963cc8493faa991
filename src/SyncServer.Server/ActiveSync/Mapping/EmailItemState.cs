using System.Globalization;
using System.Xml.Linq;
using SyncServer.Core.Model;
using SyncServer.Core.Store;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>
/// What ActiveSync keeps about a message beyond its bytes and IMAP flags, as item properties in
/// <see cref="Namespace"/> (they move with the item and go when it is deleted): the Flag details a client sent
/// (<see cref="EmailFlag"/>) and the last verb executed with its time (set by SmartReply / SmartForward). Only
/// messages whose flags say there can be something are looked up.
/// </summary>
public sealed record EmailItemState(XElement? FlagDetails, LastVerb? Verb)
{
    public const string Namespace = "urn:syncserver:activesync:email";
    public const string FlagProperty = "Flag", VerbProperty = "LastVerb";

    public static readonly EmailItemState None = new(null, null);

    public static async Task<EmailItemState> LoadAsync(IStore store, Item item, CancellationToken cancellationToken)
    {
        if (item.Mail is not { } mail || !MayHaveState(mail))
            return None;
        XElement? flag = null;
        LastVerb? verb = null;
        foreach (var property in await store.GetItemPropertiesAsync(item.Id, cancellationToken))
        {
            if (property.Namespace != Namespace)
                continue;
            if (property.Name == FlagProperty)
                flag = XElement.Parse(property.Xml);
            else if (property.Name == VerbProperty)
                verb = LastVerb.Read(XElement.Parse(property.Xml));
        }
        return new EmailItemState(flag, verb);
    }

    private static bool MayHaveState(MailIndex mail)
        => (mail.Flags & (MailFlags.Flagged | MailFlags.Answered)) != 0
            || mail.Keywords.Any(k => k.Equals(EmailFlag.CompletedKeyword, StringComparison.OrdinalIgnoreCase)
                || k.Equals(LastVerb.ForwardedKeyword, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// <c>email2:LastVerbExecuted</c> and <c>LastVerbExecutionTime</c> (MS-ASEMAIL 2.2.2.44, 2.2.2.45): 1 reply to
/// sender, 2 reply to all, 3 forward. IMAP's <c>\Answered</c> and <c>$Forwarded</c> are the truth; the verb and
/// time SmartReply / SmartForward recorded are sent while the flag they set is still there, otherwise the flag alone
/// says 3 (forwarded) or 1 (answered), without a time.
/// </summary>
public sealed record LastVerb(int Verb, DateTimeOffset? Time)
{
    public const int ReplyToSender = 1, ReplyToAll = 2, Forward = 3;
    public const string ForwardedKeyword = "$Forwarded";

    private static readonly XNamespace Ns = EmailItemState.Namespace;

    public static LastVerb? Of(MailIndex mail, LastVerb? recorded)
    {
        var forwarded = mail.Keywords.Contains(ForwardedKeyword, StringComparer.OrdinalIgnoreCase);
        var answered = mail.Flags.HasFlag(MailFlags.Answered);
        if (recorded is { } r && (r.Verb == Forward ? forwarded : answered))
            return r;
        return forwarded ? new LastVerb(Forward, null) : answered ? new LastVerb(ReplyToSender, null) : null;
    }

    /// <summary>The message's flags with this verb's IMAP mark added.</summary>
    public MailIndex Mark(MailIndex mail)
        => Verb == Forward
            ? mail.Keywords.Contains(ForwardedKeyword, StringComparer.OrdinalIgnoreCase) ? mail : mail with { Keywords = [.. mail.Keywords, ForwardedKeyword] }
            : mail with { Flags = mail.Flags | MailFlags.Answered };

    public string ToXml() => new XElement(Ns + EmailItemState.VerbProperty, new XAttribute("verb", Verb),
        Time is { } time ? new XAttribute("time", time.ToUnixTimeMilliseconds()) : null).ToString(SaveOptions.DisableFormatting);

    public static LastVerb? Read(XElement element)
        => int.TryParse((string?)element.Attribute("verb"), NumberStyles.None, CultureInfo.InvariantCulture, out var verb)
            ? new LastVerb(verb, long.TryParse((string?)element.Attribute("time"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : null)
            : null;
}
