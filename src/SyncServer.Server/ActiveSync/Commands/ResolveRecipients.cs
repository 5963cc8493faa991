using System.Globalization;
using System.Text;
using System.Xml.Linq;
using SyncServer.Core.Directory;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Protocols.CalDav;
using SyncServer.Protocols.Dav;
using SyncServer.Server.Scheduling;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// ResolveRecipients (MS-ASCMD 2.2.1.15; client-requirements EAS-RR-01): each To (an address or the start of a name) is
/// looked up in the user's global address list (GAL recipients, Type 1). Per To: 1 one recipient, 2 ambiguous (every
/// match, up to MaxAmbiguousRecipients), 3 ambiguous and more matches than that (RecipientCount says how many), 4 not
/// found. With Availability the server tells each local user's merged free/busy time in 30-minute slots (0 free,
/// 1 tentative, 2 busy, 4 no data) from the same busy time CalDAV's free-busy answers give; lists and outsiders get
/// Availability status 163 (no data). The server holds no S/MIME certificates: asked for them, each recipient has
/// Certificates status 7 (none found). Pictures are not served. A request without To, with more than 100, or with an
/// Availability window that is not 1 minute to 42 days is a protocol error (status 5).
/// </summary>
public sealed class ResolveRecipients(IDirectoryStore directory, GlobalAddressList gal, CalendarStore calendars) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.ResolveRecipients;
    private const int Success = 1, Ambiguous = 2, AmbiguousPartial = 3, NotFound = 4, ProtocolError = 5;
    private const int AvailabilityUnknown = 163, NoValidCertificate = 7;
    private const int MaxTo = 100, DefaultMaxAmbiguous = 19, GalRecipient = 1;
    private static readonly TimeSpan Slot = TimeSpan.FromMinutes(30), MaxWindow = TimeSpan.FromDays(42);

    public string Name => "ResolveRecipients";

    public XName Root => Ns + "ResolveRecipients";

    public async Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        var to = request.Body?.Elements(Ns + "To").Select(t => t.Value.Trim()).ToList() ?? [];
        var options = request.Body?.Element(Ns + "Options");
        var availability = options?.Element(Ns + "Availability");
        TimeRange? window = null;
        if (availability is not null)
        {
            if (!TryDate(availability.Element(Ns + "StartTime"), out var start) || !TryDate(availability.Element(Ns + "EndTime"), out var end)
                || end - start < TimeSpan.FromMinutes(1) || end - start > MaxWindow)
                return Status(ProtocolError);
            window = new TimeRange(start, end);
        }
        if (to.Count is 0 or > MaxTo || to.Any(t => t.Length == 0))
            return Status(ProtocolError);
        var maxAmbiguous = int.TryParse((string?)options?.Element(Ns + "MaxAmbiguousRecipients"), NumberStyles.None, CultureInfo.InvariantCulture, out var max)
            ? max : DefaultMaxAmbiguous;
        var certificates = (string?)options?.Element(Ns + "CertificateRetrieval") is "2" or "3";

        var entries = (await gal.ListAsync(request.Account.Domain, cancellationToken)).Entries;
        var responses = new List<XElement>();
        foreach (var name in to)
        {
            var found = await FindAsync(entries, name, cancellationToken);
            var shown = found.Take(Math.Max(maxAmbiguous, 1)).ToList();
            var status = found.Count switch { 0 => NotFound, 1 => Success, _ when found.Count > shown.Count => AmbiguousPartial, _ => Ambiguous };
            var recipients = new List<XElement>();
            foreach (var entry in shown)
            {
                recipients.Add(new XElement(Ns + "Recipient",
                    new XElement(Ns + "Type", GalRecipient),
                    new XElement(Ns + "DisplayName", entry.DisplayName.Length > 0 ? entry.DisplayName : entry.Address),
                    new XElement(Ns + "EmailAddress", entry.Address),
                    window is null ? null : await AvailabilityAsync(entry, window, cancellationToken),
                    certificates ? new XElement(Ns + "Certificates", new XElement(Ns + "Status", NoValidCertificate), new XElement(Ns + "CertificateCount", 0)) : null));
            }
            responses.Add(new XElement(Ns + "Response",
                new XElement(Ns + "To", name),
                new XElement(Ns + "Status", status),
                new XElement(Ns + "RecipientCount", found.Count),
                recipients));
        }
        return new ActiveSyncResponse(new XElement(Root, new XElement(Ns + "Status", Success), responses));
    }

    /// <summary>An address matches its entry exactly (or a local account of another served domain); a name, every entry whose display name, a word of it, or address starts with it.</summary>
    private async Task<List<GalEntry>> FindAsync(IReadOnlyList<GalEntry> entries, string name, CancellationToken cancellationToken)
    {
        if (name.Contains('@', StringComparison.Ordinal))
        {
            var address = name.Trim('<', '>', ' ');
            if (entries.FirstOrDefault(e => string.Equals(e.Address, address, StringComparison.OrdinalIgnoreCase)) is { } entry)
                return [entry];
            return await directory.GetAccountAsync(address, cancellationToken) is { Enabled: true } account
                ? [new GalEntry("", GalEntryKind.User, account.Address, account.DisplayName)]
                : [];
        }
        return entries.Where(e => e.Address.StartsWith(name, StringComparison.OrdinalIgnoreCase)
                || e.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(w => w.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                || e.DisplayName.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(e => e.Address, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>MergedFreeBusy (MS-ASCMD 2.2.3.99): one digit per 30-minute slot of the window, the busiest state that touches it.</summary>
    private async Task<XElement> AvailabilityAsync(GalEntry entry, TimeRange window, CancellationToken cancellationToken)
    {
        if (entry.Kind == GalEntryKind.DistributionList || await directory.GetAccountAsync(entry.Address, cancellationToken) is not { Enabled: true } account)
            return new XElement(Ns + "Availability", new XElement(Ns + "Status", AvailabilityUnknown));
        var busy = await calendars.BusyAsync(account.Id, window, cancellationToken);
        var (start, end) = (window.Start!.Value, window.End!.Value);
        var merged = new StringBuilder();
        for (var slot = start; slot < end; slot += Slot)
        {
            var slotEnd = slot + Slot < end ? slot + Slot : end;
            var touching = busy.Where(b => b.Start < slotEnd && b.End > slot).ToList();
            merged.Append(touching.Count == 0 ? '0' : touching.Any(b => b.Type == "BUSY") ? '2' : '1');
        }
        return new XElement(Ns + "Availability", new XElement(Ns + "Status", Success), new XElement(Ns + "MergedFreeBusy", merged.ToString()));
    }

    private static bool TryDate(XElement? element, out DateTimeOffset value)
        => DateTimeOffset.TryParse((string?)element, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    private ActiveSyncResponse Status(int status) => new(new XElement(Root, new XElement(Ns + "Status", status)));
}
