using System.Globalization;
using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// The Query of a Search of the Mailbox store (MS-ASCMD 2.2.3.139.2): an And of Class, CollectionId (also inside
/// EqualTo), FreeText, and GreaterThan/LessThan on email:DateReceived. Anything else makes the query "too complex"
/// (Store status 8); a value that does not parse makes it malformed (status 2). Pure.
/// </summary>
public sealed record MailboxQuery(
    IReadOnlyList<string> Classes,
    IReadOnlyList<string> CollectionIds,
    IReadOnlyList<string> FreeText,
    DateTimeOffset? ReceivedAfter,
    DateTimeOffset? ReceivedBefore)
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.Search;
    private static readonly XNamespace AirSync = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Email = ActiveSyncNamespaces.Email;

    public enum Outcome { Ok, Malformed, TooComplex }

    public static Outcome TryParse(XElement? query, out MailboxQuery parsed)
    {
        var classes = new List<string>();
        var collections = new List<string>();
        var text = new List<string>();
        DateTimeOffset? after = null, before = null;
        parsed = new MailboxQuery([], [], [], null, null);
        if (query is null || !query.HasElements)
            return Outcome.Malformed;

        Outcome Walk(XElement element)
        {
            foreach (var part in element.Elements())
            {
                if (part.Name == Ns + "And" || part.Name == Ns + "EqualTo" && part.Element(AirSync + "CollectionId") is not null)
                {
                    if (Walk(part) is var inner && inner != Outcome.Ok)
                        return inner;
                    if (part.Name == Ns + "EqualTo" && (string?)part.Element(Ns + "Value") is { Length: > 0 } folder)
                        collections.Add(folder);
                }
                else if (part.Name == AirSync + "Class")
                    classes.Add(part.Value);
                else if (part.Name == AirSync + "CollectionId")
                {
                    if (part.Value.Length > 0)
                        collections.Add(part.Value);
                }
                else if (part.Name == Ns + "FreeText")
                    text.Add(part.Value);
                else if (part.Name == Ns + "Value" && element.Name == Ns + "EqualTo")
                    continue;
                else if ((part.Name == Ns + "GreaterThan" || part.Name == Ns + "LessThan") && part.Element(Email + "DateReceived") is not null)
                {
                    if (!DateTimeOffset.TryParse((string?)part.Element(Ns + "Value"), CultureInfo.InvariantCulture,
                            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
                        return Outcome.Malformed;
                    if (part.Name == Ns + "GreaterThan")
                        after = time;
                    else
                        before = time;
                }
                else
                    return Outcome.TooComplex;
            }
            return Outcome.Ok;
        }

        var outcome = Walk(query);
        if (outcome == Outcome.Ok)
            parsed = new MailboxQuery(classes, collections, text.Where(t => t.Trim().Length > 0).ToList(), after, before);
        return outcome;
    }
}
