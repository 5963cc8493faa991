namespace SyncServer.Protocols.ActiveSync.Wbxml;

/// <summary>Why a WBXML document was refused.</summary>
public enum WbxmlErrorKind
{
    /// <summary>The input ended inside the header, a token, a string, or with elements still open.</summary>
    Truncated,
    /// <summary>Larger than <see cref="WbxmlLimits.MaxInputSize"/>.</summary>
    InputTooLarge,
    /// <summary>Version byte other than 0x03 (WBXML 1.3).</summary>
    UnsupportedVersion,
    /// <summary>Charset other than 106 (UTF-8), the only one ActiveSync uses.</summary>
    UnsupportedCharset,
    /// <summary>An mb_u_int32 longer than 5 bytes or over 2^32 − 1.</summary>
    InvalidMultiByteInteger,
    /// <summary>SWITCH_PAGE to a page ActiveSync does not define.</summary>
    UnknownCodePage,
    /// <summary>A tag token the current code page does not define.</summary>
    UnknownTag,
    /// <summary>A tag with the attribute bit (0x80): ActiveSync has no attributes.</summary>
    AttributesNotSupported,
    /// <summary>ENTITY, LITERAL*, EXT*, PI: global tokens ActiveSync never uses.</summary>
    UnsupportedToken,
    /// <summary>A string that is not valid UTF-8.</summary>
    InvalidUtf8,
    /// <summary>STR_T pointing outside the string table.</summary>
    InvalidStringTableReference,
    /// <summary>A string or opaque value longer than <see cref="WbxmlLimits.MaxStringLength"/>.</summary>
    StringTooLong,
    /// <summary>More nested elements than <see cref="WbxmlLimits.MaxDepth"/>.</summary>
    TooDeep,
    /// <summary>More elements than <see cref="WbxmlLimits.MaxElements"/>.</summary>
    TooManyElements,
    /// <summary>Content where the document allows none: text or END before the root, anything after it, or
    /// opaque data mixed with other content in one element.</summary>
    UnexpectedContent,
}

/// <summary>
/// A WBXML document the decoder refused, with the offset of the offending byte in the input. The HTTP layer
/// answers it with 400 or the command's protocol-error status (MS-ASCMD: Sync/FolderSync/Ping status 4 etc.);
/// the request has changed nothing at that point.
/// </summary>
public sealed record WbxmlError(long Offset, WbxmlErrorKind Kind, string Message)
{
    public override string ToString() => $"WBXML {Kind} at byte {Offset}: {Message}";
}
