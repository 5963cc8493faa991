using System.Globalization;
using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>AirSyncBase BodyPreference elements (MS-ASAIRS 2.2.2.7) read into a <see cref="BodyPreference"/>.</summary>
public static class BodyPreferences
{
    private static readonly XNamespace Base = ActiveSyncNamespaces.AirSyncBase;

    /// <summary>
    /// The preference in a Sync collection's or an ItemOperations fetch's Options: <c>MIMESupport</c> 2 means the
    /// whole MIME; else the HTML BodyPreference if asked, else the first one; plain text without any.
    /// </summary>
    public static BodyPreference FromOptions(XElement? options)
    {
        if ((string?)options?.Element(ActiveSyncNamespaces.AirSync + "MIMESupport") == "2")
            return new BodyPreference(BodyPreference.Mime, null);
        var preferences = options?.Elements(Base + "BodyPreference").ToList() ?? [];
        var chosen = preferences.FirstOrDefault(p => (string?)p.Element(Base + "Type") == "2") ?? preferences.FirstOrDefault();
        return chosen is null ? BodyPreference.Default : Read(chosen);
    }

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
