using System.Globalization;
using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>An AirSyncBase BodyPreference element (MS-ASAIRS 2.2.2.7) read into a <see cref="BodyPreference"/>.</summary>
public static class BodyPreferences
{
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;

    /// <summary>Type 1, 2 or 4 (anything else is plain text) and the TruncationSize when it is a number.</summary>
    public static BodyPreference Read(XElement bodyPreference)
    {
        var type = int.TryParse((string?)bodyPreference.Element(Base + "Type"), CultureInfo.InvariantCulture, out var t) && t is 1 or 2 or 4
            ? t
            : BodyPreference.PlainText;
        var truncation = long.TryParse((string?)bodyPreference.Element(Base + "TruncationSize"), CultureInfo.InvariantCulture, out var size) && size >= 0
            ? size
            : (long?)null;
        return new BodyPreference(type, truncation);
    }
}
