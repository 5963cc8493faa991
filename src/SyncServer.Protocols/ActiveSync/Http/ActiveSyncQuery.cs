using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SyncServer.Protocols.ActiveSync.Http;

/// <summary>
/// The request line of an ActiveSync POST (MS-ASHTTP 2.2.1.1.1): the command and the device, from the plain query
/// string (<c>Cmd=Sync&amp;User=…&amp;DeviceId=…&amp;DeviceType=…</c>) or from the base64-encoded binary form. The
/// base64 form carries the protocol version and policy key itself (the headers are then absent).
/// </summary>
public sealed record ActiveSyncQuery(
    string Command,
    string DeviceId,
    string DeviceType,
    string? User = null,
    string? ProtocolVersion = null,
    uint? PolicyKey = null,
    string? CollectionId = null,
    string? ItemId = null,
    string? LongId = null,
    string? AttachmentName = null,
    string? Occurrence = null,
    bool SaveInSent = false,
    bool AcceptMultiPart = false,
    bool IsBase64 = false);

public static class ActiveSyncQueryParser
{
    /// <summary>Device ids are opaque: MS-ASHTTP allows 32 characters; a little slack for clients that send more.</summary>
    public const int MaxDeviceIdLength = 64;
    public const int MaxDeviceTypeLength = 64;

    /// <summary>Command codes of the base64 form (MS-ASHTTP 2.2.1.1.1.1.2).</summary>
    private static readonly string?[] CommandCodes =
    [
        "Sync", "SendMail", "SmartForward", "SmartReply", "GetAttachment", null, null, null, null, "FolderSync",
        "FolderCreate", "FolderDelete", "FolderUpdate", "MoveItems", "GetItemEstimate", "MeetingResponse", "Search",
        "Settings", "Ping", "ItemOperations", "Provision", "ResolveRecipients", "ValidateCert", "Find",
    ];

    /// <summary>Parses the query string (without its leading <c>?</c>); false with a reason for a client error.</summary>
    public static bool TryParse(string queryString, out ActiveSyncQuery query, out string error)
    {
        query = null!;
        if (queryString.Length == 0)
        {
            error = "no query string";
            return false;
        }
        // The binary form is one base64 token: it has neither '=' separators between names and values nor '&'.
        // (Base64 padding '=' can only end it.)
        var trimmed = queryString.TrimEnd('=');
        return trimmed.Contains('=') || trimmed.Contains('&')
            ? TryParsePlain(queryString, out query, out error)
            : TryParseBase64(Uri.UnescapeDataString(queryString), out query, out error);
    }

    private static bool TryParsePlain(string queryString, out ActiveSyncQuery query, out string error)
    {
        query = null!;
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in queryString.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            values.TryAdd(name, value);
        }
        string? Get(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

        if (Get("Cmd") is not { } command)
        {
            error = "Cmd is missing";
            return false;
        }
        if (!CheckDevice(Get("DeviceId"), Get("DeviceType"), out error))
            return false;
        query = new ActiveSyncQuery(command, Get("DeviceId")!, Get("DeviceType")!,
            User: Get("User"), CollectionId: Get("CollectionId"), ItemId: Get("ItemId"), LongId: Get("LongId"),
            AttachmentName: Get("AttachmentName"), Occurrence: Get("Occurrence"),
            SaveInSent: string.Equals(Get("SaveInSent"), "T", StringComparison.OrdinalIgnoreCase));
        return true;
    }

    private static bool TryParseBase64(string token, out ActiveSyncQuery query, out string error)
    {
        query = null!;
        var bytes = new byte[token.Length];
        if (!Convert.TryFromBase64String(token, bytes, out var length))
        {
            error = "the query string is neither name=value pairs nor base64";
            return false;
        }
        var reader = new ByteReader(bytes.AsSpan(0, length).ToArray());
        error = "the base64 query string is truncated";
        if (!reader.TryByte(out var version) || !reader.TryByte(out var code) || !reader.TrySkip(2)
            || !reader.TryCounted(out var deviceIdBytes) || !reader.TryCounted(out var policyKeyBytes)
            || !reader.TryCounted(out var deviceTypeBytes))
            return false;
        if (code >= CommandCodes.Length || CommandCodes[code] is not { } command)
        {
            error = $"unknown command code {code}";
            return false;
        }
        if (policyKeyBytes.Length is not (0 or 4))
        {
            error = "the policy key must be 0 or 4 bytes";
            return false;
        }
        var deviceId = DeviceIdText(deviceIdBytes);
        var deviceType = Encoding.ASCII.GetString(deviceTypeBytes);
        if (!CheckDevice(deviceId, deviceType, out error))
            return false;

        query = new ActiveSyncQuery(command, deviceId, deviceType,
            ProtocolVersion: (version / 10).ToString(CultureInfo.InvariantCulture) + "." + (version % 10).ToString(CultureInfo.InvariantCulture),
            PolicyKey: policyKeyBytes.Length == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(policyKeyBytes) : null,
            IsBase64: true);
        while (!reader.AtEnd)
        {
            if (!reader.TryByte(out var tag) || !reader.TryCounted(out var value))
            {
                error = "a base64 query parameter is truncated";
                return false;
            }
            var text = Encoding.UTF8.GetString(value);
            query = tag switch
            {
                0 => query with { AttachmentName = text },
                1 => query with { CollectionId = text },
                3 => query with { ItemId = text },
                4 => query with { LongId = text },
                6 => query with { Occurrence = text },
                7 => query with { SaveInSent = value.Length > 0 && (value[0] & 0x01) != 0, AcceptMultiPart = value.Length > 0 && (value[0] & 0x02) != 0 },
                8 => query with { User = text },
                _ => query, // 2 (CollectionName), 5 (ParentId), 9 (Voice): obsolete; ignored.
            };
        }
        error = "";
        return true;
    }

    /// <summary>A binary device id is shown as hex unless it is already plain letters and digits.</summary>
    private static string DeviceIdText(byte[] bytes)
        => bytes.All(b => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z'))
            ? Encoding.ASCII.GetString(bytes)
            : Convert.ToHexString(bytes);

    private static bool CheckDevice(string? deviceId, string? deviceType, out string error)
    {
        error = "";
        if (deviceId is null || deviceId.Length > MaxDeviceIdLength || !deviceId.All(char.IsAsciiLetterOrDigit))
            error = $"DeviceId must be 1 to {MaxDeviceIdLength} letters or digits";
        else if (deviceType is null || deviceType.Length > MaxDeviceTypeLength || deviceType.Any(c => char.IsControl(c) || c > '~'))
            error = $"DeviceType must be 1 to {MaxDeviceTypeLength} printable ASCII characters";
        return error.Length == 0;
    }

    private sealed class ByteReader(byte[] bytes)
    {
        private int _position;

        public bool AtEnd => _position >= bytes.Length;

        public bool TryByte(out byte value)
        {
            if (AtEnd)
            {
                value = 0;
                return false;
            }
            value = bytes[_position++];
            return true;
        }

        public bool TrySkip(int count)
        {
            _position += count;
            return _position <= bytes.Length;
        }

        /// <summary>A one-byte length followed by that many bytes.</summary>
        public bool TryCounted(out byte[] value)
        {
            value = [];
            if (!TryByte(out var length) || _position + length > bytes.Length)
                return false;
            value = bytes[_position..(_position + length)];
            _position += length;
            return true;
        }
    }
}
