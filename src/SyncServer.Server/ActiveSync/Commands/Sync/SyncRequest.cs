using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>A collection's Options (MS-ASCMD 2.2.3.115.5): the FilterType window and the body the client prefers.</summary>
public sealed record SyncOptions(int FilterType, int BodyType, long? TruncationSize)
{
    public static readonly SyncOptions Default = new(0, BodyPreference.PlainText, null);

    [JsonIgnore]
    public BodyPreference Body => new(BodyType, TruncationSize);
}

/// <summary>
/// One collection of a Sync request (MS-ASCMD 2.2.3.29.2). A null <see cref="SyncKey"/> means the device's current key
/// (a collection taken from the remembered request); <see cref="Commands"/> are the client's changes, never remembered.
/// </summary>
public sealed record SyncCollectionRequest(string CollectionId, string? SyncKey, bool GetChanges, int? WindowSize, bool DeletesAsMoves, SyncOptions? Options)
{
    [JsonIgnore]
    public XElement? Commands { get; init; }
}

/// <summary>
/// A Sync request as typed values (MS-ASCMD 2.2.1.21): its collections, how long to hold the answer when nothing
/// changed (Wait in minutes or HeartbeatInterval in seconds, as seconds), and the window for all collections. The
/// last request of a device is remembered (without SyncKeys and client commands) so an empty request repeats it and a
/// Partial one is completed from it (MS-ASCMD 2.2.1.21.1, 2.2.3.125).
/// </summary>
public sealed record SyncRequest(IReadOnlyList<SyncCollectionRequest> Collections, int? HoldSeconds, int? WindowSize)
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.AirSync;
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;
    public const int ProtocolError = 4, InvalidWaitOrHeartbeat = 14, TooManyCollections = 15;
    public const int MinWait = 1, MaxWait = 59, MinHeartbeat = 60, MaxHeartbeat = 3540, MaxWindowSize = 512, MaxCollections = 1000;

    /// <summary>The refusal of a request as a whole: Sync/Status, with the bound broken for status 14 (Limit).</summary>
    public sealed record Refusal(int Status, int? Limit = null);

    /// <summary>Reads a request body; <paramref name="partial"/> is set when it carries <c>Partial</c>.</summary>
    public static bool TryParse(XElement body, out SyncRequest request, out bool partial, out Refusal? refusal)
    {
        request = new SyncRequest([], null, null);
        partial = body.Element(Ns + "Partial") is not null;
        refusal = null;
        var wait = body.Element(Ns + "Wait");
        var heartbeat = body.Element(Ns + "HeartbeatInterval");
        int? hold = null;
        if (wait is not null && heartbeat is not null)
        {
            refusal = new Refusal(ProtocolError);
            return false;
        }
        if (wait is not null || heartbeat is not null)
        {
            var (value, min, max, unit) = wait is not null ? (wait.Value, MinWait, MaxWait, 60) : (heartbeat!.Value, MinHeartbeat, MaxHeartbeat, 1);
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                refusal = new Refusal(ProtocolError);
                return false;
            }
            if (number < min || number > max)
            {
                refusal = new Refusal(InvalidWaitOrHeartbeat, number < min ? min : max);
                return false;
            }
            hold = number * unit;
        }
        if (body.Element(Ns + "Collections")?.Elements(Ns + "Collection").Count() > MaxCollections)
        {
            refusal = new Refusal(TooManyCollections);
            return false;
        }
        var collections = new List<SyncCollectionRequest>();
        foreach (var collection in body.Element(Ns + "Collections")?.Elements(Ns + "Collection") ?? [])
        {
            if (!TryParseCollection(collection, out var parsed))
            {
                refusal = new Refusal(ProtocolError);
                return false;
            }
            collections.Add(parsed);
        }
        request = new SyncRequest(collections, hold, WindowSizeOf(body.Element(Ns + "WindowSize")));
        return true;
    }

    /// <summary>A Partial request completed from the remembered one: its collections replace theirs, the rest are kept.</summary>
    public SyncRequest CompletedFrom(SyncRequest remembered)
    {
        var listed = Collections.Select(c => c.CollectionId).ToHashSet(StringComparer.Ordinal);
        return new SyncRequest([.. Collections, .. remembered.Collections.Where(c => !listed.Contains(c.CollectionId))],
            HoldSeconds ?? remembered.HoldSeconds, WindowSize ?? remembered.WindowSize);
    }

    /// <summary>Options left out take the ones last sent for that collection (client-requirements EAS-SYNC-04).</summary>
    public SyncRequest WithOptionsFrom(SyncRequest? remembered)
        => remembered is null ? this : this with
        {
            Collections = [.. Collections.Select(c => c.Options is not null ? c
                : c with { Options = remembered.Collections.FirstOrDefault(r => r.CollectionId == c.CollectionId)?.Options })],
        };

    /// <summary>What is remembered of this request: no keys, no client commands (an empty request asks for changes).</summary>
    public string Remembered()
        => JsonSerializer.Serialize(this with { Collections = [.. Collections.Select(c => c with { SyncKey = null, GetChanges = true, Commands = null })] });

    public static SyncRequest? Read(string? remembered) => remembered is null ? null : JsonSerializer.Deserialize<SyncRequest>(remembered);

    private static bool TryParseCollection(XElement collection, out SyncCollectionRequest parsed)
    {
        parsed = null!;
        var id = (string?)collection.Element(Ns + "CollectionId");
        var syncKey = (string?)collection.Element(Ns + "SyncKey");
        if (id is null || syncKey is null)
            return false;
        // Empty GetChanges means 1; absent means 1 too once the collection has a key (14.0+ clients leave it out, EAS-SYNC-03).
        var getChanges = (string?)collection.Element(Ns + "GetChanges") is not { } flag || flag != "0";
        var deletesAsMoves = (string?)collection.Element(Ns + "DeletesAsMoves") != "0";
        SyncOptions? options = null;
        if (EmailOptions(collection) is { } element && !TryParseOptions(element, out options))
            return false;
        parsed = new SyncCollectionRequest(id, syncKey, getChanges, WindowSizeOf(collection.Element(Ns + "WindowSize")), deletesAsMoves, options)
        {
            Commands = collection.Element(Ns + "Commands"),
        };
        return true;
    }

    /// <summary>
    /// The Options of the Email class: a 14.0+ client may add a second Options with Class SMS to the Inbox (EAS-SYNC-12),
    /// which is not this server's to serve; an Options without Class is the collection's own.
    /// </summary>
    private static XElement? EmailOptions(XElement collection)
        => collection.Elements(Ns + "Options").FirstOrDefault(o => (string?)o.Element(Ns + "Class") is null or "Email");

    /// <summary>
    /// FilterType 0–7 (email is given 0–5 by the spec; 6 and 7, three and six months, are taken as well); the
    /// BodyPreference of type HTML if offered, else the first; MIMESupport 2 asks for the stored message itself.
    /// </summary>
    private static bool TryParseOptions(XElement options, out SyncOptions? parsed)
    {
        parsed = null;
        var filterType = 0;
        if ((string?)options.Element(Ns + "FilterType") is { } filter
            && (!int.TryParse(filter, NumberStyles.None, CultureInfo.InvariantCulture, out filterType) || filterType > 7))
            return false;
        var body = BodyPreferences.FromOptions(options);
        parsed = new SyncOptions(filterType, body.Type, body.TruncationSize);
        return true;
    }

    private static int? WindowSizeOf(XElement? element)
        => int.TryParse((string?)element, CultureInfo.InvariantCulture, out var size) && size > 0 ? Math.Min(size, MaxWindowSize) : null;
}
