using System.Text;
using SyncServer.Core.Model;

namespace SyncServer.Server.Imap;

/// <summary>
/// RFC 4314 rights as letters over <see cref="GrantRights"/>. The obsolete <c>c</c> stands for <c>kx</c> and
/// <c>d</c> for <c>te</c> (§2.1.1, announced as RIGHTS=texk): both are read, and written whenever all they stand for is held.
/// </summary>
public static class AclRights
{
    /// <summary>What a mailbox's owner always has.</summary>
    public const GrantRights Owner = GrantRights.Lookup | GrantRights.Read | GrantRights.Seen | GrantRights.Write | GrantRights.Insert
        | GrantRights.Post | GrantRights.CreateChild | GrantRights.DeleteCollection | GrantRights.Delete | GrantRights.Expunge | GrantRights.Administer;

    private static readonly (char Letter, GrantRights Rights)[] Letters =
    [
        ('l', GrantRights.Lookup), ('r', GrantRights.Read), ('s', GrantRights.Seen), ('w', GrantRights.Write),
        ('i', GrantRights.Insert), ('p', GrantRights.Post), ('k', GrantRights.CreateChild), ('x', GrantRights.DeleteCollection),
        ('t', GrantRights.Delete), ('e', GrantRights.Expunge),
        ('c', GrantRights.CreateChild | GrantRights.DeleteCollection), ('d', GrantRights.Delete | GrantRights.Expunge),
        ('a', GrantRights.Administer),
    ];

    /// <summary>The IMAP part of a grant's rights (send-as and send-on-behalf are not mailbox rights).</summary>
    public static GrantRights Of(GrantRights rights) => rights & Owner;

    /// <summary>Letters to rights; null when one is not a right this server knows.</summary>
    public static GrantRights? Parse(string letters)
    {
        var rights = GrantRights.None;
        foreach (var letter in letters)
        {
            var match = Array.Find(Letters, l => l.Letter == letter);
            if (match.Letter == default)
                return null;
            rights |= match.Rights;
        }
        return rights;
    }

    /// <summary>Rights to letters, in the RFC's order, e.g. "lrswipkxtecda" for an owner.</summary>
    public static string Format(GrantRights rights)
    {
        var text = new StringBuilder();
        foreach (var (letter, right) in Letters)
        {
            if (right != GrantRights.None && (rights & right) == right)
                text.Append(letter);
        }
        return text.ToString();
    }

    /// <summary>The right STORE needs to change a flag (RFC 4314 §4): s for \Seen, t for \Deleted, w for the rest.</summary>
    public static GrantRights ToStore(string flag) =>
        flag.Equals("\\Seen", StringComparison.OrdinalIgnoreCase) ? GrantRights.Seen
        : flag.Equals("\\Deleted", StringComparison.OrdinalIgnoreCase) ? GrantRights.Delete
        : GrantRights.Write;

    /// <summary>The separate rights of LISTRIGHTS (§3.7): each may be granted on its own.</summary>
    public static IEnumerable<string> Each() => Letters.Where(l => l.Letter is not ('c' or 'd')).Select(l => l.Letter.ToString());
}
