using System.Xml.Linq;

namespace SyncServer.Protocols.Dav;

/// <summary>Every XML name the DAV front-end reads or writes, in one place (RFC 4918, 3744, 4791, 5397, 6352, 6578, 6638, 5689).</summary>
public static class DavNames
{
    public static readonly XNamespace Dav = "DAV:";
    public static readonly XNamespace CalDav = "urn:ietf:params:xml:ns:caldav";
    public static readonly XNamespace CardDav = "urn:ietf:params:xml:ns:carddav";
    public static readonly XNamespace CalendarServer = "http://calendarserver.org/ns/";
    public static readonly XNamespace AppleICal = "http://apple.com/ns/ical/";

    // RFC 4918
    public static readonly XName Multistatus = Dav + "multistatus";
    public static readonly XName Response = Dav + "response";
    public static readonly XName Href = Dav + "href";
    public static readonly XName Status = Dav + "status";
    public static readonly XName Propstat = Dav + "propstat";
    public static readonly XName Prop = Dav + "prop";
    public static readonly XName PropFind = Dav + "propfind";
    public static readonly XName AllProp = Dav + "allprop";
    public static readonly XName PropName = Dav + "propname";
    public static readonly XName Include = Dav + "include";
    public static readonly XName PropertyUpdate = Dav + "propertyupdate";
    public static readonly XName Set = Dav + "set";
    public static readonly XName Remove = Dav + "remove";
    public static readonly XName Error = Dav + "error";
    public static readonly XName ResponseDescription = Dav + "responsedescription";
    public static readonly XName Collection = Dav + "collection";
    public static readonly XName ResourceType = Dav + "resourcetype";
    public static readonly XName DisplayName = Dav + "displayname";
    public static readonly XName GetETag = Dav + "getetag";
    public static readonly XName GetContentType = Dav + "getcontenttype";
    public static readonly XName GetContentLength = Dav + "getcontentlength";
    public static readonly XName GetLastModified = Dav + "getlastmodified";
    public static readonly XName CreationDate = Dav + "creationdate";
    public static readonly XName SupportedLock = Dav + "supportedlock";
    public static readonly XName LockDiscovery = Dav + "lockdiscovery";

    // RFC 5689 extended MKCOL
    public static readonly XName MkCol = Dav + "mkcol";
    public static readonly XName MkColResponse = Dav + "mkcol-response";

    // RFC 5397, RFC 3744
    public static readonly XName CurrentUserPrincipal = Dav + "current-user-principal";
    public static readonly XName PrincipalUrl = Dav + "principal-URL";
    public static readonly XName PrincipalCollectionSet = Dav + "principal-collection-set";
    public static readonly XName Principal = Dav + "principal";
    public static readonly XName Owner = Dav + "owner";
    public static readonly XName CurrentUserPrivilegeSet = Dav + "current-user-privilege-set";
    public static readonly XName Privilege = Dav + "privilege";
    public static readonly XName PrivilegeRead = Dav + "read";
    public static readonly XName PrivilegeWrite = Dav + "write";
    public static readonly XName PrivilegeWriteProperties = Dav + "write-properties";
    public static readonly XName PrivilegeWriteContent = Dav + "write-content";
    public static readonly XName PrivilegeBind = Dav + "bind";
    public static readonly XName PrivilegeUnbind = Dav + "unbind";
    public static readonly XName PrivilegeReadCurrentUserPrivilegeSet = Dav + "read-current-user-privilege-set";
    public static readonly XName Unauthenticated = Dav + "unauthenticated";
    public static readonly XName NeedPrivileges = Dav + "need-privileges";
    public static readonly XName Resource = Dav + "resource";

    // RFC 3253 / RFC 4331 / RFC 6578
    public static readonly XName SupportedReportSet = Dav + "supported-report-set";
    public static readonly XName SupportedReport = Dav + "supported-report";
    public static readonly XName Report = Dav + "report";
    public static readonly XName QuotaUsedBytes = Dav + "quota-used-bytes";
    public static readonly XName QuotaAvailableBytes = Dav + "quota-available-bytes";
    public static readonly XName SyncCollection = Dav + "sync-collection";
    public static readonly XName SyncToken = Dav + "sync-token";
    public static readonly XName SyncLevel = Dav + "sync-level";
    public static readonly XName Limit = Dav + "limit";
    public static readonly XName NResults = Dav + "nresults";
    public static readonly XName ValidSyncToken = Dav + "valid-sync-token";
    public static readonly XName NumberOfMatchesWithinLimits = Dav + "number-of-matches-within-limits";

    // RFC 4791 CalDAV
    public static readonly XName Calendar = CalDav + "calendar";
    public static readonly XName MkCalendar = CalDav + "mkcalendar";
    public static readonly XName MkCalendarResponse = CalDav + "mkcalendar-response";
    public static readonly XName CalendarDescription = CalDav + "calendar-description";
    public static readonly XName CalendarTimezone = CalDav + "calendar-timezone";
    public static readonly XName SupportedCalendarComponentSet = CalDav + "supported-calendar-component-set";
    public static readonly XName SupportedCalendarData = CalDav + "supported-calendar-data";
    public static readonly XName CalendarDataType = CalDav + "calendar-data";
    public static readonly XName MaxResourceSize = CalDav + "max-resource-size";
    public static readonly XName Comp = CalDav + "comp";
    public static readonly XName AllComp = CalDav + "allcomp";
    public static readonly XName CalendarProp = CalDav + "prop";
    public static readonly XName AllCalendarProp = CalDav + "allprop";
    public static readonly XName CalendarHomeSet = CalDav + "calendar-home-set";
    public static readonly XName CalendarUserAddressSet = CalDav + "calendar-user-address-set";
    public static readonly XName ScheduleInboxUrl = CalDav + "schedule-inbox-URL";
    public static readonly XName ScheduleOutboxUrl = CalDav + "schedule-outbox-URL";
    public static readonly XName CalendarQuery = CalDav + "calendar-query";
    public static readonly XName CalendarMultiget = CalDav + "calendar-multiget";
    public static readonly XName FreeBusyQuery = CalDav + "free-busy-query";
    public static readonly XName Filter = CalDav + "filter";
    public static readonly XName CompFilter = CalDav + "comp-filter";
    public static readonly XName PropFilter = CalDav + "prop-filter";
    public static readonly XName ParamFilter = CalDav + "param-filter";
    public static readonly XName IsNotDefined = CalDav + "is-not-defined";
    public static readonly XName TextMatch = CalDav + "text-match";
    public static readonly XName TimeRange = CalDav + "time-range";
    public static readonly XName Expand = CalDav + "expand";
    public static readonly XName LimitRecurrenceSet = CalDav + "limit-recurrence-set";
    public static readonly XName LimitFreeBusySet = CalDav + "limit-freebusy-set";
    public static readonly XName ValidCalendarData = CalDav + "valid-calendar-data";
    public static readonly XName ValidCalendarObjectResource = CalDav + "valid-calendar-object-resource";
    public static readonly XName SupportedCalendarComponent = CalDav + "supported-calendar-component";
    public static readonly XName NoUidConflict = CalDav + "no-uid-conflict";
    public static readonly XName CalendarCollectionLocationOk = CalDav + "calendar-collection-location-ok";
    public static readonly XName ValidFilter = CalDav + "valid-filter";

    // RFC 6638 CalDAV scheduling
    public static readonly XName ScheduleInbox = CalDav + "schedule-inbox";
    public static readonly XName ScheduleOutbox = CalDav + "schedule-outbox";
    public static readonly XName ScheduleDefaultCalendarUrl = CalDav + "schedule-default-calendar-URL";
    public static readonly XName ScheduleCalendarTransp = CalDav + "schedule-calendar-transp";
    public static readonly XName Opaque = CalDav + "opaque";
    public static readonly XName CalendarUserType = CalDav + "calendar-user-type";
    public static readonly XName ScheduleResponse = CalDav + "schedule-response";
    public static readonly XName ScheduleResponseItem = CalDav + "response";
    public static readonly XName Recipient = CalDav + "recipient";
    public static readonly XName RequestStatus = CalDav + "request-status";
    public static readonly XName ValidSchedulingMessage = CalDav + "valid-scheduling-message";
    public static readonly XName OrganizerAllowed = CalDav + "organizer-allowed";
    public static readonly XName Transparent = CalDav + "transparent";
    public static readonly XName ScheduleTag = CalDav + "schedule-tag";

    // RFC 6352 CardDAV
    public static readonly XName AddressBook = CardDav + "addressbook";
    public static readonly XName AddressBookDescription = CardDav + "addressbook-description";
    public static readonly XName SupportedAddressData = CardDav + "supported-address-data";
    public static readonly XName AddressDataType = CardDav + "address-data-type";
    public static readonly XName AddressData = CardDav + "address-data";
    public static readonly XName AddressBookHomeSet = CardDav + "addressbook-home-set";
    public static readonly XName AddressBookMaxResourceSize = CardDav + "max-resource-size";
    public static readonly XName AddressBookQuery = CardDav + "addressbook-query";
    public static readonly XName AddressBookMultiget = CardDav + "addressbook-multiget";
    public static readonly XName ValidAddressData = CardDav + "valid-address-data";
    public static readonly XName CardNoUidConflict = CardDav + "no-uid-conflict";
    public static readonly XName CardFilter = CardDav + "filter";
    public static readonly XName CardLimit = CardDav + "limit";
    public static readonly XName CardNResults = CardDav + "nresults";
    public static readonly XName SupportedAddressDataConversion = CardDav + "supported-address-data-conversion";

    // CalendarServer and Apple extensions
    public static readonly XName GetCTag = CalendarServer + "getctag";
    public static readonly XName EmailAddressSet = CalendarServer + "email-address-set";
    public static readonly XName CalendarColor = AppleICal + "calendar-color";
    public static readonly XName CalendarOrder = AppleICal + "calendar-order";

    // CalendarServer sharing (caldav-sharing): the properties a sharer's and a sharee's collection show
    public static readonly XName Shared = CalendarServer + "shared";
    public static readonly XName SharedOwner = CalendarServer + "shared-owner";
    public static readonly XName SharedUrl = CalendarServer + "shared-url";
    public static readonly XName Invite = CalendarServer + "invite";
    public static readonly XName InviteOrganizer = CalendarServer + "organizer";
    public static readonly XName InviteUser = CalendarServer + "user";
    public static readonly XName CommonName = CalendarServer + "common-name";
    public static readonly XName InviteAccepted = CalendarServer + "invite-accepted";
    public static readonly XName Access = CalendarServer + "access";
    public static readonly XName AccessRead = CalendarServer + "read";
    public static readonly XName AccessReadWrite = CalendarServer + "read-write";

    // CalendarServer sharing requests (POST CS:share) and the sharing modes a collection allows
    public static readonly XName Share = CalendarServer + "share";
    public static readonly XName ShareSet = CalendarServer + "set";
    public static readonly XName ShareRemove = CalendarServer + "remove";
    public static readonly XName ShareSummary = CalendarServer + "summary";
    public static readonly XName AllowedSharingModes = CalendarServer + "allowed-sharing-modes";
    public static readonly XName CanBeShared = CalendarServer + "can-be-shared";

    // WebDAV resource sharing (draft-pot-webdav-resource-sharing, used by DAVx5 and Nextcloud)
    public static readonly XName ShareResource = Dav + "share-resource";
    public static readonly XName Sharee = Dav + "sharee";
    public static readonly XName ShareAccess = Dav + "share-access";
    public static readonly XName ShareRead = Dav + "read";
    public static readonly XName ShareReadWrite = Dav + "read-write";
    public static readonly XName ShareNoAccess = Dav + "no-access";
    public static readonly XName ShareSharedOwner = Dav + "shared-owner";
    public static readonly XName ShareNotShared = Dav + "not-shared";
    public static readonly XName ShareComment = Dav + "comment";
}
