using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap.Messages;

/// <summary>IMAP flags as the store keeps them: system flags as <see cref="MailFlags"/>, keywords as strings.</summary>
public static class MessageFlags
{
    private static readonly (MailFlags Flag, string Name)[] System =
    [
        (MailFlags.Seen, "\\Seen"), (MailFlags.Answered, "\\Answered"), (MailFlags.Flagged, "\\Flagged"),
        (MailFlags.Deleted, "\\Deleted"), (MailFlags.Draft, "\\Draft"),
    ];

    /// <summary>The FLAGS of SELECT: the system flags (\Recent is not kept: every session sees none).</summary>
    public static readonly IReadOnlyList<string> Defined = [.. System.Select(s => s.Name)];

    /// <summary>PERMANENTFLAGS: the system flags and any keyword (\*).</summary>
    public static readonly IReadOnlyList<string> Permanent = [.. Defined, "\\*"];

    public static IReadOnlyList<string> Names(MailIndex? mail)
    {
        var names = new List<string>();
        if (mail is null)
            return names;
        names.AddRange(System.Where(s => mail.Flags.HasFlag(s.Flag)).Select(s => s.Name));
        names.AddRange(mail.Keywords);
        return names;
    }

    public static ImapValue Value(MailIndex? mail) => new ImapList([.. Names(mail).Select(n => new ImapAtom(n))]);

    /// <summary>Splits flag names into system flags and keywords; \Recent and unknown \-flags are dropped (RFC 9051 §2.3.2).</summary>
    public static (MailFlags Flags, IReadOnlyList<string> Keywords) Parse(IEnumerable<string> names)
    {
        var flags = MailFlags.None;
        var keywords = new List<string>();
        foreach (var name in names)
        {
            var system = System.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (system.Name is not null)
                flags |= system.Flag;
            else if (!name.StartsWith('\\') && !keywords.Contains(name, StringComparer.OrdinalIgnoreCase))
                keywords.Add(name);
        }
        return (flags, keywords);
    }

    /// <summary>The index after STORE FLAGS / +FLAGS / -FLAGS.</summary>
    public static MailIndex Apply(MailIndex mail, StoreMode mode, IEnumerable<string> names)
    {
        var (flags, keywords) = Parse(names);
        return mode switch
        {
            StoreMode.Replace => mail with { Flags = flags, Keywords = keywords },
            StoreMode.Add => mail with
            {
                Flags = mail.Flags | flags,
                Keywords = [.. mail.Keywords, .. keywords.Where(k => !mail.Keywords.Contains(k, StringComparer.OrdinalIgnoreCase))],
            },
            _ => mail with
            {
                Flags = mail.Flags & ~flags,
                Keywords = [.. mail.Keywords.Where(k => !keywords.Contains(k, StringComparer.OrdinalIgnoreCase))],
            },
        };
    }

    public static bool SameFlags(MailIndex a, MailIndex b) =>
        a.Flags == b.Flags && a.Keywords.Order(StringComparer.Ordinal).SequenceEqual(b.Keywords.Order(StringComparer.Ordinal));
}
