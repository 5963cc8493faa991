using System.Xml.Linq;

namespace SyncServer.Protocols.ActiveSync.Wbxml;

/// <summary>
/// The XML namespace of each ActiveSync code page. WBXML carries no namespace names, only page numbers, so these
/// are a convention: the "Name:" form with a trailing colon is what the MS-ASCMD examples, Exchange's own XML
/// traces and libwbxml's <c>wbxml2xml</c> print, so decoded requests can be compared with them directly.
/// (The MS-AS* XSDs use the bare name as targetNamespace; nothing on the wire depends on the choice.)
/// </summary>
public static class ActiveSyncNamespaces
{
    public static readonly XNamespace AirSync = "AirSync:";
    public static readonly XNamespace Contacts = "Contacts:";
    public static readonly XNamespace Email = "Email:";
    public static readonly XNamespace AirNotify = "AirNotify:";
    public static readonly XNamespace Calendar = "Calendar:";
    public static readonly XNamespace Move = "Move:";
    public static readonly XNamespace GetItemEstimate = "GetItemEstimate:";
    public static readonly XNamespace FolderHierarchy = "FolderHierarchy:";
    public static readonly XNamespace MeetingResponse = "MeetingResponse:";
    public static readonly XNamespace Tasks = "Tasks:";
    public static readonly XNamespace ResolveRecipients = "ResolveRecipients:";
    public static readonly XNamespace ValidateCert = "ValidateCert:";
    public static readonly XNamespace Contacts2 = "Contacts2:";
    public static readonly XNamespace Ping = "Ping:";
    public static readonly XNamespace Provision = "Provision:";
    public static readonly XNamespace Search = "Search:";

    /// <summary>MS-ASCMD spells it "GAL"; libwbxml 0.11 prints "Gal:" — compare GAL documents case-insensitively there.</summary>
    public static readonly XNamespace Gal = "GAL:";

    public static readonly XNamespace AirSyncBase = "AirSyncBase:";
    public static readonly XNamespace Settings = "Settings:";
    public static readonly XNamespace DocumentLibrary = "DocumentLibrary:";
    public static readonly XNamespace ItemOperations = "ItemOperations:";
    public static readonly XNamespace ComposeMail = "ComposeMail:";
    public static readonly XNamespace Email2 = "Email2:";
    public static readonly XNamespace Notes = "Notes:";
    public static readonly XNamespace RightsManagement = "RightsManagement:";
    public static readonly XNamespace Find = "Find:";
}
