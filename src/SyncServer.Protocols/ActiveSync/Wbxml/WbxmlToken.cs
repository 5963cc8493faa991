namespace SyncServer.Protocols.ActiveSync.Wbxml;

/// <summary>WBXML 1.3 global tokens and tag bits (WAP-192-WBXML §5.8.4, §7.1) that ActiveSync uses.</summary>
internal static class WbxmlToken
{
    public const byte Version13 = 0x03;
    /// <summary>Public identifier 1: "unknown or missing" — ActiveSync names no DTD.</summary>
    public const byte UnknownPublicId = 0x01;
    /// <summary>IANA MIBenum of UTF-8.</summary>
    public const byte Utf8Charset = 106;

    public const byte SwitchPage = 0x00;
    public const byte End = 0x01;
    public const byte StrI = 0x03;
    public const byte StrT = 0x83;
    public const byte Opaque = 0xC3;

    /// <summary>Low six bits of a tag byte: the tag token. Tokens 0x00–0x04 are the global tokens.</summary>
    public const byte TagMask = 0x3F;
    public const byte FirstTag = 0x05;
    public const byte HasContent = 0x40;
    public const byte HasAttributes = 0x80;
}
