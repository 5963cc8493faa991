using System.Globalization;

namespace SyncServer.Protocols.Imap;

public enum ImapStatus { Ok, No, Bad, PreAuth, Bye }

/// <summary>
/// resp-text-code (RFC 9051 §7.1 and the extensions': RFC 4315 UIDPLUS, RFC 7162 CONDSTORE, RFC 9208 QUOTA,
/// RFC 7889 APPENDLIMIT, RFC 5464 METADATA). Built only through the members below, so the text is valid.
/// </summary>
public sealed record ImapResponseCode
{
    private ImapResponseCode(string name, string? arguments = null)
    {
        Name = name;
        Arguments = arguments;
    }

    public string Name { get; }

    /// <summary>What follows the name inside the brackets, already in wire form.</summary>
    public string? Arguments { get; }

    public static readonly ImapResponseCode Alert = new("ALERT");
    public static readonly ImapResponseCode AlreadyExists = new("ALREADYEXISTS");
    public static readonly ImapResponseCode AuthenticationFailed = new("AUTHENTICATIONFAILED");
    public static readonly ImapResponseCode AuthorizationFailed = new("AUTHORIZATIONFAILED");
    public static readonly ImapResponseCode CannotDo = new("CANNOT");
    public static readonly ImapResponseCode ClientBug = new("CLIENTBUG");
    public static readonly ImapResponseCode Closed = new("CLOSED");
    /// <summary>COMPRESS: the connection is compressed already (RFC 4978 §3).</summary>
    public static readonly ImapResponseCode CompressionActive = new("COMPRESSIONACTIVE");
    public static readonly ImapResponseCode ContactAdmin = new("CONTACTADMIN");
    public static readonly ImapResponseCode ExpungeIssued = new("EXPUNGEISSUED");
    public static readonly ImapResponseCode HasChildren = new("HASCHILDREN");
    public static readonly ImapResponseCode InUse = new("INUSE");
    public static readonly ImapResponseCode Limit = new("LIMIT");
    public static readonly ImapResponseCode NoModSeq = new("NOMODSEQ");
    public static readonly ImapResponseCode NonExistent = new("NONEXISTENT");
    public static readonly ImapResponseCode NoPerm = new("NOPERM");
    public static readonly ImapResponseCode OverQuota = new("OVERQUOTA");
    public static readonly ImapResponseCode Parse = new("PARSE");
    public static readonly ImapResponseCode PrivacyRequired = new("PRIVACYREQUIRED");
    public static readonly ImapResponseCode ReadOnly = new("READ-ONLY");
    public static readonly ImapResponseCode ReadWrite = new("READ-WRITE");
    public static readonly ImapResponseCode ServerBug = new("SERVERBUG");
    public static readonly ImapResponseCode TooBig = new("TOOBIG");
    public static readonly ImapResponseCode TryCreate = new("TRYCREATE");
    public static readonly ImapResponseCode UidNotSticky = new("UIDNOTSTICKY");
    /// <summary>BINARY: a part's content transfer encoding the server cannot decode (RFC 3516 §4.3).</summary>
    public static readonly ImapResponseCode UnknownCte = new("UNKNOWN-CTE");
    public static readonly ImapResponseCode UseAttribute = new("USEATTR");
    public static readonly ImapResponseCode Unavailable = new("UNAVAILABLE");

    public static ImapResponseCode BadCharset(IEnumerable<string> supported) => new("BADCHARSET", $"({string.Join(' ', supported)})");

    public static ImapResponseCode Capability(IEnumerable<string> capabilities) => new("CAPABILITY", string.Join(' ', capabilities));

    public static ImapResponseCode PermanentFlags(IEnumerable<string> flags) => new("PERMANENTFLAGS", $"({string.Join(' ', flags)})");

    public static ImapResponseCode UidNext(uint uid) => new("UIDNEXT", Number(uid));

    public static ImapResponseCode UidValidity(uint uidValidity) => new("UIDVALIDITY", Number(uidValidity));

    /// <summary>rev1 only: the first unseen message's sequence number.</summary>
    public static ImapResponseCode Unseen(uint sequenceNumber) => new("UNSEEN", Number(sequenceNumber));

    public static ImapResponseCode AppendUid(uint uidValidity, uint uid) => new("APPENDUID", $"{Number(uidValidity)} {Number(uid)}");

    public static ImapResponseCode CopyUid(uint uidValidity, ImapSequenceSet sourceUids, ImapSequenceSet destinationUids) =>
        new("COPYUID", $"{Number(uidValidity)} {sourceUids} {destinationUids}");

    public static ImapResponseCode HighestModSeq(ulong modSeq) => new("HIGHESTMODSEQ", Number(modSeq));

    /// <summary>CONDSTORE: messages STORE did not change because of UNCHANGEDSINCE.</summary>
    public static ImapResponseCode Modified(ImapSequenceSet set) => new("MODIFIED", set.ToString());

    /// <summary>METADATA: entries left out of a GETMETADATA answer by MAXSIZE, with the largest one's size.</summary>
    public static ImapResponseCode LongEntries(ulong size) => new("METADATA LONGENTRIES", Number(size));

    public static ImapResponseCode MetadataMaxSize(ulong size) => new("METADATA MAXSIZE", Number(size));

    /// <summary>METADATA: SETMETADATA would exceed the number of entries the server keeps (RFC 5464 §4.3).</summary>
    public static readonly ImapResponseCode MetadataTooMany = new("METADATA TOOMANY");

    public override string ToString() => Arguments is null ? Name : $"{Name} {Arguments}";

    private static string Number(ulong n) => n.ToString(CultureInfo.InvariantCulture);
}
