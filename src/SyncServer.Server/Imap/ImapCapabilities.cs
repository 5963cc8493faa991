using System.Globalization;

namespace SyncServer.Server.Imap;

/// <summary>What the server announces (RFC 9051 §7.2.2), which depends on TLS and login state.</summary>
public static class ImapCapabilities
{
    /// <summary>What ENABLE accepts (RFC 5161); QRESYNC implies CONDSTORE (RFC 7162 §3.2.3).</summary>
    public static readonly IReadOnlyList<string> Enableable = ["IMAP4rev2", "CONDSTORE", "QRESYNC", "UTF8=ACCEPT"];

    private static readonly string[] Common =
        ["IMAP4rev1", "IMAP4rev2", "LITERAL+", "ID", "ENABLE", "IDLE", "NAMESPACE", "UIDPLUS", "MOVE", "UNSELECT", "CHILDREN",
         "SPECIAL-USE", "CREATE-SPECIAL-USE", "CONDSTORE", "STATUS=SIZE", "ESEARCH", "UTF8=ACCEPT",
         "QRESYNC", "SEARCHRES", "BINARY", "LIST-EXTENDED", "LIST-STATUS", "COMPRESS=DEFLATE",
         "SORT", "SORT=DISPLAY", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES",
         "QUOTA", "QUOTA=RES-STORAGE", "ACL", "RIGHTS=texk", "METADATA"];

    public static IReadOnlyList<string> For(ImapSession session)
    {
        var capabilities = new List<string>(Common)
        {
            "APPENDLIMIT=" + session.Connection.Limits.MaxLiteralSize.ToString(CultureInfo.InvariantCulture),
        };
        if (session.State != ImapSessionState.NotAuthenticated)
            return capabilities;
        // RFC 9051 §6.2: no credentials in the clear, so no login mechanism before TLS.
        if (session.Connection.IsTls)
            capabilities.AddRange(["AUTH=PLAIN", "SASL-IR"]);
        else
            capabilities.AddRange(["STARTTLS", "LOGINDISABLED"]);
        return capabilities;
    }
}
