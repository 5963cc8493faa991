using System.Text;

namespace SyncServer.Protocols.Imap;

/// <summary>Step 6c: AUTHENTICATE, ENABLE, ID, COMPRESS, and the QUOTA, ACL and METADATA commands.</summary>
internal static class ImapExtensionCommandParser
{
    /// <summary>The command named <paramref name="name"/>, or null if it is not one of these.</summary>
    public static ImapCommand? TryParse(ref ImapSyntaxReader reader, string tag, string name) => name switch
    {
        "AUTHENTICATE" => Authenticate(ref reader, tag),
        "ENABLE" => Enable(ref reader, tag),
        "ID" => Id(ref reader, tag),
        "COMPRESS" => new Compress(tag, Atom(ref reader).ToUpperInvariant()),
        "GETQUOTA" => new GetQuota(tag, AString(ref reader)),
        "GETQUOTAROOT" => new GetQuotaRoot(tag, AString(ref reader)),
        "SETQUOTA" => SetQuota(ref reader, tag),
        "SETACL" => new SetAcl(tag, AString(ref reader), AString(ref reader), AString(ref reader)),
        "DELETEACL" => new DeleteAcl(tag, AString(ref reader), AString(ref reader)),
        "GETACL" => new GetAcl(tag, AString(ref reader)),
        "LISTRIGHTS" => new ListRights(tag, AString(ref reader), AString(ref reader)),
        "MYRIGHTS" => new MyRights(tag, AString(ref reader)),
        "GETMETADATA" => GetMetadata(ref reader, tag),
        "SETMETADATA" => SetMetadata(ref reader, tag),
        _ => null,
    };

    private static string AString(ref ImapSyntaxReader reader)
    {
        reader.Space();
        return reader.AString();
    }

    private static string Atom(ref ImapSyntaxReader reader)
    {
        reader.Space();
        return Encoding.ASCII.GetString(reader.Atom());
    }

    // authenticate = "AUTHENTICATE" SP auth-type [SP (base64 / "=")] (RFC 9051 §9, RFC 4959)
    private static Authenticate Authenticate(ref ImapSyntaxReader reader, string tag)
    {
        var mechanism = Atom(ref reader).ToUpperInvariant();
        if (!reader.TrySpace())
            return new Authenticate(tag, mechanism, null);
        var response = Encoding.ASCII.GetString(reader.Atom());
        return new Authenticate(tag, mechanism, SaslResponse.Decode(response)
            ?? throw ImapSyntaxReader.Fail("Initial response is not base64"));
    }

    private static Enable Enable(ref ImapSyntaxReader reader, string tag)
    {
        var capabilities = new List<string>();
        while (reader.TrySpace())
            capabilities.Add(Encoding.ASCII.GetString(reader.Atom()).ToUpperInvariant());
        return capabilities.Count > 0 ? new Enable(tag, capabilities) : throw ImapSyntaxReader.Fail("ENABLE needs a capability");
    }

    // id = "ID" SP ("(" [string SP nstring *(SP string SP nstring)] ")" / nil) (RFC 2971 §4)
    private static Id Id(ref ImapSyntaxReader reader, string tag)
    {
        reader.Space();
        if (reader.TryKeyword("NIL"u8))
            return new Id(tag, null);
        var fields = new List<KeyValuePair<string, string?>>();
        reader.Expect((byte)'(');
        if (!reader.TryConsume((byte)')'))
        {
            do
            {
                var field = reader.String();
                reader.Space();
                fields.Add(new(field, reader.NString()));
            }
            while (reader.TrySpace());
            reader.Expect((byte)')');
        }
        return new Id(tag, fields);
    }

    // setquota = "SETQUOTA" SP quota-root SP "(" [resource-name SP number64 *(SP …)] ")" (RFC 9208 §4.2)
    private static SetQuota SetQuota(ref ImapSyntaxReader reader, string tag)
    {
        var root = AString(ref reader);
        reader.Space();
        reader.Expect((byte)'(');
        var limits = new List<KeyValuePair<string, ulong>>();
        if (!reader.TryConsume((byte)')'))
        {
            do
            {
                var resource = reader.Keyword();
                reader.Space();
                limits.Add(new(resource, reader.Number64()));
            }
            while (reader.TrySpace());
            reader.Expect((byte)')');
        }
        return new SetQuota(tag, root, limits);
    }

    // getmetadata = "GETMETADATA" [SP "(" option *(SP option) ")"] SP mailbox SP (entry / "(" entry *(SP entry) ")")
    private static GetMetadata GetMetadata(ref ImapSyntaxReader reader, string tag)
    {
        reader.Space();
        ulong? maxSize = null;
        var depth = MetadataDepth.Zero;
        if (reader.TryConsume((byte)'('))
        {
            do
            {
                if (reader.TryKeyword("MAXSIZE"u8))
                {
                    reader.Space();
                    maxSize = reader.Number64();
                    continue;
                }
                reader.ExpectKeyword("DEPTH"u8);
                depth = Atom(ref reader).ToUpperInvariant() switch
                {
                    "0" => MetadataDepth.Zero,
                    "1" => MetadataDepth.One,
                    "INFINITY" => MetadataDepth.Infinity,
                    _ => throw ImapSyntaxReader.Fail("DEPTH is 0, 1 or infinity"),
                };
            }
            while (reader.TrySpace());
            reader.Expect((byte)')');
            reader.Space();
        }
        var mailbox = reader.Mailbox();
        reader.Space();
        return new GetMetadata(tag, mailbox, reader.AStringList(allowSingle: true), maxSize, depth);
    }

    // setmetadata = "SETMETADATA" SP mailbox SP "(" entry SP (nstring / literal8) *(SP …) ")" (RFC 5464 §5)
    private static SetMetadata SetMetadata(ref ImapSyntaxReader reader, string tag)
    {
        var mailbox = AString(ref reader);
        reader.Space();
        reader.Expect((byte)'(');
        var entries = new List<KeyValuePair<string, byte[]?>>();
        do
        {
            var entry = reader.AString();
            reader.Space();
            entries.Add(new(entry, reader.TryKeyword("NIL"u8) ? null : MetadataValue(ref reader)));
        }
        while (reader.TrySpace());
        reader.Expect((byte)')');
        return new SetMetadata(tag, mailbox, entries);
    }

    // Tolerance: MailKit 4.18 sends a value that is a valid atom as an atom, where RFC 5464 wants a string; read it as one.
    private static byte[] MetadataValue(ref ImapSyntaxReader reader) =>
        reader.Peek() is '"' or '{' or '~' ? reader.StringOctets(allowBinary: true).ToArray() : Encoding.ASCII.GetBytes(reader.AString());
}

/// <summary>SASL responses on the wire (RFC 9051 §6.2.2, RFC 4959): base64, with "=" for an empty response.</summary>
public static class SaslResponse
{
    /// <summary>The decoded octets, empty for "=", or null if the text is not strict base64.</summary>
    public static byte[]? Decode(string text)
    {
        if (text == "=")
            return [];
        // Convert.FromBase64String skips white space, which has no place here.
        if (text.Length == 0 || text.AsSpan().IndexOfAny(" \t\r\n") >= 0)
            return null;
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
